import Foundation
import MQTTBroker
import TestSupport
import XCTest

final class ConfigParserTests: XCTestCase {
    /// The mosquitto guide's scenario, kept in the checkout (Tests/Fixtures/guide): its config block
    /// verbatim and the password file its `mosquitto_passwd -c` step makes.
    static let guideFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/guide")

    static func guideFile(_ name: String) throws -> String {
        try String(contentsOf: guideFolder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The guide's config with its paths moved under `directory`, and its password file there.
    static func guideConfig(in directory: TemporaryDirectory) throws -> String {
        try directory.write("passwd", guideFile("passwd"))
        return try guideFile("mosquitto.conf")
            .replacingOccurrences(of: "/var/run/mosquitto.pid", with: directory.file("mosquitto.pid"))
            .replacingOccurrences(of: "/var/lib/mosquitto/", with: directory.file("lib") + "/")
            .replacingOccurrences(of: "/var/log/mosquitto/mosquitto.log", with: directory.file("mosquitto.log"))
            .replacingOccurrences(of: "/etc/mosquitto/conf.d", with: directory.file("conf.d"))
            .replacingOccurrences(of: "/etc/mosquitto/passwd", with: directory.file("passwd"))
    }

    func testGuidesPasswordFileLogsInTheGuidesUser() throws {
        let directory = try TemporaryDirectory()
        try directory.write("passwd", Self.guideFile("passwd"))
        let file = try PasswordFile.load(path: directory.file("passwd"))
        XCTAssertEqual(file.usernames, ["iot"])
        guard case .pbkdf2SHA512? = file.hash(for: "iot") else { return XCTFail("mosquitto_passwd 2.0 writes $7$ hashes") }
        XCTAssertTrue(file.verify(username: "iot", password: "password"))
        XCTAssertFalse(file.verify(username: "iot", password: "secret"))
    }

    func testSeedConfigParsesVerbatim() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("conf.d"), withIntermediateDirectories: true)
        try directory.write("conf.d/README", "Any files placed in this directory with a .conf ending will be loaded.\n")
        let path = try directory.write("mosquitto.conf", Self.guideConfig(in: directory))

        let config = try ConfigParser.load(path: path)
        XCTAssertEqual(config.warnings, [])
        XCTAssertTrue(config.perListenerSettings)
        XCTAssertEqual(config.pidFile, directory.file("mosquitto.pid"))
        XCTAssertTrue(config.persistence)
        XCTAssertEqual(config.persistenceLocation, directory.file("lib") + "/")
        XCTAssertEqual(config.logDestinations, [.file(directory.file("mosquitto.log"))])
        // As mosquitto 2.0.11 does with this file: per_listener_settings puts the password file
        // on the default listener, which then listens on every interface and refuses anonymous clients.
        XCTAssertFalse(config.isLocalOnly)
        XCTAssertEqual(config.listeners.count, 1)
        let listener = try XCTUnwrap(config.listeners.first)
        XCTAssertEqual(listener.port, 1883)
        XCTAssertNil(listener.bindAddress)
        XCTAssertTrue(listener.isDefault)
        XCTAssertEqual(listener.transport, .mqtt)
        XCTAssertEqual(listener.security.allowAnonymous, false)
        XCTAssertEqual(listener.security.passwordFile, directory.file("passwd"))
        XCTAssertNil(listener.security.aclFile)

        // The guide's user (its file made by the real mosquitto_passwd) logs in through the parsed settings.
        let security = try ListenerSecurity.load(listener.security)
        XCTAssertTrue(security.authenticate(username: "iot", password: Array("password".utf8)))
        XCTAssertFalse(security.authenticate(username: "iot", password: Array("wrong".utf8)))
        XCTAssertFalse(security.authenticate(username: nil, password: nil))
    }

    func testNoConfigurationIsLocalOnly() throws {
        for config in [BrokerConfiguration(), try ConfigParser.parse("")] {
            XCTAssertTrue(config.isLocalOnly)
            XCTAssertEqual(config.listeners.map(\.port), [1883])
            XCTAssertEqual(config.listeners.first?.bindAddress, "127.0.0.1")
            XCTAssertEqual(config.listeners.first?.security.allowAnonymous, true)
            XCTAssertEqual(config.maxInflightMessages, 20)
            XCTAssertEqual(config.maxQueuedMessages, 1000)
            XCTAssertEqual(config.sysInterval, 10)
            XCTAssertEqual(config.messageSizeLimit, 0)
            XCTAssertNil(config.maxPacketSize)
            XCTAssertTrue(config.retainAvailable)
            XCTAssertFalse(config.persistence)
            XCTAssertEqual(config.logDestinations, [.stderr])
            XCTAssertEqual(config.logTypes, [.error, .warning, .notice, .information])
            XCTAssertNil(config.user, "no user line (see RootPrivileges)")
            XCTAssertNil(config.persistentClientExpiration)
        }
    }

    /// Local only mode as mosquitto 2.0.11 decides it (each case checked against the real broker).
    func testLocalOnlyModeLikeMosquitto() throws {
        let cases: [(String, localOnly: Bool, anonymous: Bool)] = [
            ("allow_anonymous false\n", true, true),  // forced on in local only mode
            ("password_file /tmp/x\n", true, true),
            ("per_listener_settings true\nallow_anonymous false\n", true, true),
            ("per_listener_settings true\nacl_file /tmp/x\n", true, true),
            ("per_listener_settings true\npassword_file /tmp/x\n", false, false),
            ("max_connections 10\n", false, false),
            ("port 1883\n", false, false),
            ("bind_address 127.0.0.1\n", false, false),
        ]
        for (text, localOnly, anonymous) in cases {
            let config = try ConfigParser.parse(text)
            XCTAssertEqual(config.isLocalOnly, localOnly, text)
            XCTAssertEqual(config.listeners.count, 1, text)
            XCTAssertEqual(config.listeners.first?.security.allowAnonymous, anonymous, text)
            if localOnly {
                XCTAssertEqual(config.listeners.first?.bindAddress, "127.0.0.1", text)
            }
        }
        XCTAssertEqual(try ConfigParser.parse("bind_address 10.0.0.1\n").listeners.first?.bindAddress, "10.0.0.1")
    }

    func testListenersTLSWebsocketsAndPerListenerSettings() throws {
        let config = try ConfigParser.parse("""
            # comment
            per_listener_settings true
            allow_anonymous true
            listener 1883 127.0.0.1
            socket_domain ipv4
            password_file /etc/a
            listener 8883
            certfile /c.pem
            keyfile /k.pem
            cafile /ca.pem
            require_certificate true
            use_identity_as_username true
            tls_version tlsv1.2
            acl_file /etc/acl
            allow_anonymous false
            max_connections 50
            listener 9001
            protocol websockets
            allow_anonymous true
            listener 0 /tmp/mqtt.sock
            """, file: "multi.conf")
        XCTAssertEqual(config.warnings, [])
        XCTAssertFalse(config.isLocalOnly)
        XCTAssertEqual(config.listeners.map(\.port), [1883, 8883, 9001, 0])
        let plain = config.listeners[0], tls = config.listeners[1], ws = config.listeners[2], unix = config.listeners[3]
        XCTAssertEqual(plain.bindAddress, "127.0.0.1")
        XCTAssertEqual(plain.socketDomain, .ipv4)
        XCTAssertEqual(plain.security, .init(allowAnonymous: false, passwordFile: "/etc/a"))
        XCTAssertEqual(plain.definedAt?.line, 4)
        XCTAssertTrue(tls.tls.isEnabled)
        XCTAssertEqual(tls.tls.cafile, "/ca.pem")
        XCTAssertTrue(tls.tls.requireCertificate)
        XCTAssertEqual(tls.tls.usernameFromCertificate, .commonName)
        XCTAssertNil(plain.tls.usernameFromCertificate)
        XCTAssertEqual(tls.tls.tlsVersion, "tlsv1.2")
        XCTAssertEqual(tls.maxConnections, 50)
        XCTAssertEqual(tls.security, .init(allowAnonymous: false, aclFile: "/etc/acl"))
        XCTAssertEqual(ws.transport, .websockets)
        XCTAssertFalse(ws.tls.isEnabled)
        XCTAssertEqual(ws.security.allowAnonymous, true)
        XCTAssertEqual(unix.bindAddress, "/tmp/mqtt.sock")
        XCTAssertEqual(unix.security.allowAnonymous, false)  // the default once a listener exists
    }

    func testUsernameFromCertificateNeedsTLSAndPrefersTheCommonName() throws {
        let config = try ConfigParser.parse("""
            listener 8883
            certfile /server.pem
            keyfile /server.key
            use_subject_as_username true
            listener 8884
            certfile /server.pem
            keyfile /server.key
            use_subject_as_username true
            use_identity_as_username true
            listener 1883
            use_identity_as_username true
            """)
        XCTAssertEqual(config.listeners.map(\.tls.usernameFromCertificate), [.subject, .commonName, nil],
                       "both set: the common name, as mosquitto; no TLS: the CONNECT's user name")
    }

    func testGlobalSecurityAppliesToEveryListener() throws {
        let config = try ConfigParser.parse("""
            listener 1883
            listener 1884
            allow_anonymous true
            password_file /etc/p
            acl_file /etc/acl
            """)
        for listener in config.listeners {
            XCTAssertEqual(listener.security, .init(allowAnonymous: true, passwordFile: "/etc/p", aclFile: "/etc/acl"))
        }
        XCTAssertEqual(config.listeners.map(\.isDefault), [false, false])
        // With listeners the default listener is only opened when port/bind_address asks for it.
        let withPort = try ConfigParser.parse("port 1999\nlistener 1883\n")
        XCTAssertEqual(withPort.listeners.map(\.port), [1999, 1883])
    }

    func testGlobalOptions() throws {
        let config = try ConfigParser.parse("""
            max_packet_size 1024
            message_size_limit 2048
            max_inflight_messages 5
            max_queued_messages 0
            sys_interval 0
            retain_available false
            persistent_client_expiration 14d
            user root
            log_dest stdout
            log_dest topic
            log_dest syslog
            log_type error
            log_type subscribe
            max_keepalive 120
            persistence_file broker.db
            autosave_interval 60
            queue_qos0_messages true
            upgrade_outgoing_qos true
            set_tcp_nodelay true
            connection_messages false
            log_timestamp false
            """)
        XCTAssertEqual(config.maxPacketSize, 1024)
        XCTAssertEqual(config.messageSizeLimit, 2048)
        XCTAssertEqual(config.maxInflightMessages, 5)
        XCTAssertEqual(config.maxQueuedMessages, 0)
        XCTAssertEqual(config.sysInterval, 0)
        XCTAssertFalse(config.retainAvailable)
        XCTAssertEqual(config.persistentClientExpiration, 14 * 86400)
        XCTAssertEqual(config.user, "root")
        XCTAssertEqual(config.logDestinations, [.stdout, .topic, .syslog])
        XCTAssertEqual(config.logTypes, [.error, .subscribe])
        XCTAssertEqual(config.maxKeepalive, 120)
        XCTAssertEqual(config.persistenceFile, "broker.db")
        XCTAssertEqual(config.autosaveInterval, 60)
        XCTAssertTrue(config.queueQoS0Messages)
        XCTAssertTrue(config.upgradeOutgoingQoS)
        XCTAssertTrue(config.setTCPNoDelay)
        XCTAssertFalse(config.connectionMessages)
        XCTAssertFalse(config.logTimestamp)

        XCTAssertEqual(try ConfigParser.parse("log_dest stdout\nlog_dest none\n").logDestinations, [])
        XCTAssertEqual(try ConfigParser.parse("log_type all\n").logTypes, Set(BrokerConfiguration.LogType.allCases))
        XCTAssertEqual(try ConfigParser.parse("log_type none\n").logTypes, [])
        for (word, seconds) in [("2h", 7200), ("1w", 604_800), ("2m", 5_184_000), ("1y", 31_536_000)] {
            XCTAssertEqual(try ConfigParser.parse("persistent_client_expiration \(word)").persistentClientExpiration, seconds)
        }
        // Paths may contain spaces; CRLF line ends and leading blanks are accepted.
        let spaced = try ConfigParser.parse("  password_file /tmp/my dir/passwd\r\n\tpid_file /run/x.pid\r\n")
        XCTAssertEqual(spaced.security.passwordFile, "/tmp/my dir/passwd")
        XCTAssertEqual(spaced.pidFile, "/run/x.pid")
    }

    func testIncludeDirOrderAndDiagnosticsInIncludedFiles() throws {
        let directory = try TemporaryDirectory()
        let includes = directory.file("conf.d")
        try FileManager.default.createDirectory(atPath: includes, withIntermediateDirectories: true)
        // mosquitto.conf(5)'s example: 00 01 A a B b.
        for name in ["b", "A", "01", "a", "B", "00"] {
            try directory.write("conf.d/\(name).conf", "# \(name)\nmarker_\(name) 1\n")
        }
        try directory.write("conf.d/ignored.txt", "nonsense here\n")
        try directory.write("conf.d/zz.conf", "listener 1884\n")
        let main = try directory.write("main.conf", "sys_interval 5\ninclude_dir \(includes)\nunknown_after 1\n")

        let config = try ConfigParser.load(path: main)
        XCTAssertEqual(config.warnings.map(\.option), ["marker_00", "marker_01", "marker_A", "marker_a", "marker_B", "marker_b", "unknown_after"])
        XCTAssertEqual(config.warnings.first?.file, includes + "/00.conf")
        XCTAssertEqual(config.warnings.first?.line, 2)
        XCTAssertEqual(config.warnings.last?.file, main)
        XCTAssertEqual(config.warnings.last?.line, 3)
        XCTAssertEqual(config.warnings.first?.description, "\(includes)/00.conf:2: Warning: Unknown configuration variable \"marker_00\"; ignored.")
        XCTAssertEqual(config.listeners.map(\.port), [1884])
        XCTAssertEqual(config.sysInterval, 5)

        XCTAssertEqual(["b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf"].sorted(by: ConfigParser.includeOrder),
                       ["00.conf", "01.conf", "A.conf", "a.conf", "B.conf", "b.conf"])
    }

    func testIncludeDirErrors() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("inc"), withIntermediateDirectories: true)
        try directory.write("inc/nested.conf", "max_inflight_messages ten\ninclude_dir \(directory.path)\n")
        let main = try directory.write("main.conf", "include_dir \(directory.file("inc"))\ninclude_dir \(directory.file("missing"))\n")
        XCTAssertThrowsError(try ConfigParser.load(path: main)) { error in
            let errors = (error as? ConfigurationError)?.errors ?? []
            XCTAssertEqual(errors.map(\.file), [directory.file("inc/nested.conf"), directory.file("inc/nested.conf"), main])
            XCTAssertEqual(errors.map(\.line), [1, 2, 2])
            XCTAssertEqual(errors.map(\.option), ["max_inflight_messages", "include_dir", "include_dir"])
        }
        XCTAssertThrowsError(try ConfigParser.load(path: directory.file("nope.conf")))
    }

    func testWarningsAreCollectedWithFileAndLine() throws {
        let config = try ConfigParser.parse("""
            listener 1883
            bogus_option 12

            auth_plugin /usr/lib/x.so
            auth_opt_db thing
            connection bridge-01
            address 10.0.0.1:1883
            topic # both 0
            psk_file /etc/psk
            """, file: "w.conf")
        XCTAssertEqual(config.warnings.map(\.line), [2, 4, 5, 9])
        XCTAssertEqual(config.warnings.map(\.option), ["bogus_option", "auth_plugin", "auth_opt_db", "psk_file"])
        XCTAssertTrue(config.warnings.allSatisfy { $0.file == "w.conf" && $0.severity == .warning })
        XCTAssertEqual(config.warnings[0].description, "w.conf:2: Warning: Unknown configuration variable \"bogus_option\"; ignored.")
    }

    func testBridgeBlocksAsMosquittoReadsThem() throws {
        let config = try ConfigParser.parse("""
            listener 1883
            connection cloud
            address broker.example:8883 [::1]:1884 backup.example
            topic sensors/# out 1 home/ site-7/
            topic commands/# in 2
            topic "" both 0 local/status remote/status
            bridge_protocol_version mqttv50
            remote_clientid edge-7
            remote_username edge
            remote_password s3cret with spaces
            cleansession true
            bridge_cafile /etc/ca.pem
            try_private false
            notifications_local_only true
            restart_timeout 2 60
            start_type once
            connection second
            addresses ws://10.0.0.2:9001/mqtt
            topic # both
            restart_timeout 7
            """, file: "b.conf")
        XCTAssertEqual(config.warnings, [])
        XCTAssertEqual(config.bridges.map(\.name), ["cloud", "second"])
        let cloud = config.bridges[0], second = config.bridges[1]
        XCTAssertEqual(cloud.line, 2)
        XCTAssertEqual(cloud.addresses, [.init(host: "broker.example", port: 8883), .init(host: "::1", port: 1884),
                                         .init(host: "backup.example", port: 1883)])
        XCTAssertEqual(cloud.topics.map(\.localFilter), ["home/sensors/#", "commands/#", "local/status"])
        XCTAssertEqual(cloud.topics.map(\.remoteFilter), ["site-7/sensors/#", "commands/#", "remote/status"])
        XCTAssertEqual(cloud.topics.map(\.direction), [.out, .in, .both])
        XCTAssertEqual(cloud.topics.map(\.qos), [.atLeastOnce, .exactlyOnce, .atMostOnce])
        XCTAssertEqual(cloud.protocolVersion, .v5)
        XCTAssertEqual(cloud.effectiveRemoteClientID, "edge-7")
        XCTAssertEqual(cloud.effectiveLocalClientID, "local.edge-7")
        XCTAssertEqual(cloud.effectiveNotificationTopic, "$SYS/broker/connection/edge-7/state")
        XCTAssertEqual(cloud.remotePassword, "s3cret with spaces")
        XCTAssertTrue(cloud.cleanSession)
        XCTAssertTrue(cloud.tls.isEnabled)
        XCTAssertFalse(cloud.tryPrivate)
        XCTAssertTrue(cloud.notificationsLocalOnly)
        XCTAssertEqual(cloud.restartBase, 2)
        XCTAssertEqual(cloud.restartCap, 60)
        XCTAssertEqual(cloud.startType, .once)
        XCTAssertEqual(second.addresses, [.init(host: "10.0.0.2", port: 9001, webSocketPath: "/mqtt")])
        XCTAssertEqual(second.topics.first?.direction, .both)
        XCTAssertNil(second.restartCap, "one value: a constant wait")
        XCTAssertTrue(second.tryPrivate)
    }

    func testBrokenBridgeLinesAreErrorsWithTheirLine() {
        // Each is reported at its own line, naming its own option (the line's first word).
        let lines = [
            "address",
            "address host:0",
            "topic a/# sideways",
            "topic a/# out 3",
            "topic a/# out 1 lo+cal/",
            "topic a/#/b",
            "topic \"\" out 1 local/x",
            "bridge_protocol_version mqttv4",
            "start_type manual",
            "threshold 0",
            "idle_timeout soon",
            "restart_timeout 30 5",
            "bridge_tls_version tlsv1.0",
            "bridge_bind_address eth0",
            "bridge_psk 0xab12",
            "bridge_require_ocsp true",
        ]
        for line in lines {
            let errors = bridgeErrors(line)
            XCTAssertEqual(errors.map(\.line), [5], line)
            XCTAssertEqual(errors.first?.option, String(line.prefix { $0 != " " }), line)
        }
        XCTAssertThrowsError(try ConfigParser.parse("listener 1883\ntopic # out\n", file: "c.conf")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.errors.map(\.description),
                           ["c.conf:2: Error: topic belongs in a bridge: put it after a \"connection NAME\" line."])
        }
        XCTAssertThrowsError(try ConfigParser.parse("listener 1883\nconnection empty\n", file: "e.conf")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.errors.map(\.description),
                           ["e.conf:2: Error: Bridge \"empty\" has no address.", "e.conf:2: Error: Bridge \"empty\" has no topic."])
        }
    }

    func testLazyStartMQTT31BindAddressAndPreSharedKeys() throws {
        let config = try ConfigParser.parse("""
            listener 1883
            connection lazy
            address 127.0.0.1:1884
            topic # out 1
            start_type lazy
            threshold 3
            idle_timeout 5
            bridge_protocol_version mqttv31
            remote_clientid short-id
            bridge_bind_address 127.0.0.2
            bridge_identity edge-7
            bridge_psk 0A1b2C
            connection defaults
            address 127.0.0.1:1885
            topic # out 1
            start_type lazy
            """, file: "l.conf")
        XCTAssertEqual(config.warnings, [])
        let lazy = config.bridges[0], defaults = config.bridges[1]
        XCTAssertEqual(lazy.startType, .lazy)
        XCTAssertEqual(lazy.threshold, 3)
        XCTAssertEqual(lazy.idleTimeout, 5)
        XCTAssertEqual(lazy.protocolVersion, .v3_1_1)
        XCTAssertTrue(lazy.speaksMQTT31)
        XCTAssertEqual(lazy.bindAddress, "127.0.0.2")
        XCTAssertEqual(lazy.tls.pskIdentity, "edge-7")
        XCTAssertEqual(lazy.tls.pskHex, "0A1b2C")
        XCTAssertTrue(lazy.tls.isEnabled, "a pre-shared key turns TLS on, as a CA does")
        XCTAssertEqual([defaults.threshold, defaults.idleTimeout], [10, 60], "mosquitto's defaults")
        XCTAssertFalse(defaults.speaksMQTT31)
        XCTAssertNil(defaults.bindAddress)

        // A 3.1 client id over 23 bytes: mosquitto takes it, the 3.1 specification does not; said, not refused.
        let long = try ConfigParser.parse("listener 1883\nconnection old\naddress 10.0.0.1\ntopic # out\n"
                                          + "bridge_protocol_version mqttv31\nremote_clientid a-client-id-of-24-bytes!\n", file: "o.conf")
        XCTAssertEqual(long.warnings.map(\.line), [2])
        XCTAssertTrue(long.warnings.first?.message.contains("1-23 bytes") ?? false, "\(long.warnings)")
    }

    func testPreSharedKeysNeedBothHalvesAndNoCertificates() {
        let cases: [(String, String)] = [
            ("bridge_identity edge", "needs both bridge_identity and bridge_psk"),
            ("bridge_psk 0123", "needs both bridge_identity and bridge_psk"),
            ("bridge_identity edge\nbridge_psk 0123\nbridge_cafile /etc/ca.pem", "use certificates or a pre-shared key, not both"),
            ("bridge_identity edge\nbridge_psk 0123\nbridge_tls_version tlsv1.3", "TLS 1.2 only"),
        ]
        for (lines, message) in cases {
            let errors = bridgeErrors(lines)
            XCTAssertEqual(errors.map(\.line), [2], lines)
            XCTAssertTrue(errors.first?.message.contains(message) ?? false, "\(errors)")
        }
    }

    /// The errors in a config with one bridge (its address and a topic) followed by `lines`; a failure if it parses.
    private func bridgeErrors(_ lines: String, file: String = "bad.conf", line: UInt = #line) -> [ConfigDiagnostic] {
        let text = "listener 1883\nconnection b\naddress 127.0.0.1\ntopic # out\n\(lines)\n"
        do {
            _ = try ConfigParser.parse(text, file: file)
            XCTFail("parsed: \(lines)", line: line)
            return []
        } catch {
            return error.errors
        }
    }

    func testOCSPIsRefusedWithTheReason() {
        XCTAssertEqual(bridgeErrors("bridge_require_ocsp true", file: "q.conf").map(\.description), [
            "q.conf:5: Error: bridge_require_ocsp is not supported by mqdash's broker: its TLS library (swift-nio-ssl) "
                + "cannot check OCSP; remove it, or run this bridge in mosquitto.",
        ])
    }

    /// `max_connecting_bytes` is mqdash's own: 64 MiB by default, at least 1 KiB.
    func testMaxConnectingBytes() throws {
        XCTAssertEqual(BrokerConfiguration().maxConnectingBytes, 64 << 20)
        XCTAssertEqual(try ConfigParser.parse("listener 1883\n").maxConnectingBytes, 64 << 20)
        XCTAssertEqual(try ConfigParser.parse("max_connecting_bytes 8388608\n").maxConnectingBytes, 8 << 20)
        XCTAssertThrowsError(try ConfigParser.parse("\nmax_connecting_bytes 0\n", file: "m.conf")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.errors.map(\.description),
                           ["m.conf:2: Error: Invalid max_connecting_bytes value 0: must be between 1024 and 2147483647."])
        }
    }

    /// `persistence_sync` is mqdash's own: NORMAL by default, FULL when asked, anything else an error.
    func testPersistenceSync() throws {
        XCTAssertEqual(BrokerConfiguration().persistenceSync, .normal)
        XCTAssertEqual(try ConfigParser.parse("persistence true\n").persistenceSync, .normal)
        XCTAssertEqual(try ConfigParser.parse("persistence true\npersistence_sync full\n").persistenceSync, .full)
        XCTAssertEqual(try ConfigParser.parse("persistence_sync full\npersistence_sync normal\n").persistenceSync, .normal)
        XCTAssertThrowsError(try ConfigParser.parse("persistence true\npersistence_sync FULL\n", file: "p.conf")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.errors.map(\.description),
                           ["p.conf:2: Error: Invalid persistence_sync value \"FULL\": expected normal or full."])
        }
    }

    /// Every malformed value is an error naming the file, the line and the option.
    func testErrorsNameFileLineAndOption() {
        let cases: [(String, String)] = [
            ("max_inflight_messages abc", "max_inflight_messages"),
            ("max_inflight_messages", "max_inflight_messages"),
            ("max_inflight_messages 1 2", "max_inflight_messages"),
            ("max_queued_messages -1", "max_queued_messages"),
            ("max_packet_size 10", "max_packet_size"),
            ("max_connecting_bytes 1023", "max_connecting_bytes"),
            ("max_connecting_bytes 64MB", "max_connecting_bytes"),
            ("message_size_limit 268435456", "message_size_limit"),
            ("sys_interval 1.5", "sys_interval"),
            ("max_connections lots", "max_connections"),
            ("allow_anonymous yes", "allow_anonymous"),
            ("persistence 1", "persistence"),
            ("retain_available", "retain_available"),
            ("password_file", "password_file"),
            ("acl_file", "acl_file"),
            ("pid_file", "pid_file"),
            ("persistence_location", "persistence_location"),
            ("persistence_sync sometimes", "persistence_sync"),
            ("persistence_sync", "persistence_sync"),
            ("persistence_sync full now", "persistence_sync"),
            ("log_dest", "log_dest"),
            ("log_dest file", "log_dest"),
            ("log_dest carrier-pigeon", "log_dest"),
            ("log_type chatter", "log_type"),
            ("listener", "listener"),
            ("listener http", "listener"),
            ("listener 70000", "listener"),
            ("listener 0", "listener"),
            ("listener 1883 0.0.0.0 extra", "listener"),
            ("port 0", "port"),
            ("protocol mqtts", "protocol"),
            ("socket_domain ipv5", "socket_domain"),
            ("persistent_client_expiration 14", "persistent_client_expiration"),
            ("persistent_client_expiration 3s", "persistent_client_expiration"),
            ("tls_version sslv3", "tls_version"),
            ("require_certificate maybe", "require_certificate"),
            ("user", "user"),
            ("include_dir", "include_dir"),
            ("max_qos 3", "max_qos"),
            ("mount_point tenant/#", "mount_point"),
        ]
        for (line, option) in cases {
            let text = "# header\nlistener 1883\n\(line)\nsys_interval 10\n"
            XCTAssertThrowsError(try ConfigParser.parse(text, file: "bad.conf"), line) { error in
                guard let error = error as? ConfigurationError else { return XCTFail("\(line): \(error)") }
                XCTAssertEqual(error.errors.count, 1, line)
                XCTAssertEqual(error.errors.first?.file, "bad.conf", line)
                XCTAssertEqual(error.errors.first?.line, 3, line)
                XCTAssertEqual(error.errors.first?.option, option, line)
                XCTAssertTrue(error.description.hasPrefix("bad.conf:3: Error: "), error.description)
            }
        }
    }

    func testStructuralErrors() {
        func errors(_ text: String) -> [ConfigDiagnostic] {
            do {
                _ = try ConfigParser.parse(text, file: "s.conf")
                return []
            } catch {
                return error.errors
            }
        }
        // mosquitto's own rule and wording.
        let order = errors("listener 1883\nallow_anonymous true\nper_listener_settings true\n")
        XCTAssertEqual(order.map(\.line), [3])
        XCTAssertEqual(order.first?.message, "per_listener_settings must be set before any other security settings.")
        // TLS half configured: reported at the TLS option's line.
        XCTAssertEqual(errors("listener 8883\ncertfile /c.pem\n").map(\.line), [2])
        XCTAssertEqual(errors("listener 8883\ncertfile /c.pem\nkeyfile /k.pem\nrequire_certificate true\n").map(\.option), ["require_certificate"])
        XCTAssertEqual(errors("listener 8883\ncafile /ca.pem\n").map(\.line), [2])
        XCTAssertEqual(errors("log_dest file /a.log\nlog_dest file /b.log\n").map(\.line), [2])
        // Several errors are all reported.
        XCTAssertEqual(errors("port x\nsys_interval y\nlistener\n").map(\.line), [1, 2, 3])
    }
}
