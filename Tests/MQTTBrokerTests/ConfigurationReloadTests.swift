import XCTest

@testable import MQTTBroker

/// Which options of a re-read configuration a reload applies, and which it names as needing a restart.
final class ConfigurationReloadTests: XCTestCase {
    private func config(_ text: String) throws -> BrokerConfiguration {
        try ConfigParser.parse(text, file: "mosquitto.conf")
    }

    func testSecurityOptionsApplyAndOtherChangedOptionsNeedARestart() throws {
        let running = try config("""
            max_queued_messages 100
            allow_anonymous false
            password_file /etc/mqdash/passwd
            listener 1883 127.0.0.1
            """)
        let reread = try config("""
            max_queued_messages 5
            sys_interval 3
            allow_anonymous true
            password_file /etc/mqdash/passwd.new
            acl_file /etc/mqdash/acl
            listener 1883 127.0.0.1
            """)
        let reload = ConfigurationReload(running: running, reread: reread)
        XCTAssertEqual(reload.applied.listeners[0].security,
                       .init(allowAnonymous: true, passwordFile: "/etc/mqdash/passwd.new", aclFile: "/etc/mqdash/acl"))
        XCTAssertEqual(reload.applied.maxQueuedMessages, 100)
        XCTAssertEqual(reload.applied.sysInterval, 10)
        XCTAssertEqual(reload.needsRestart, ["max_queued_messages", "sys_interval"])
    }

    func testTheSameFileWithMovedLinesChangesNothing() throws {
        let text = "allow_anonymous false\nlistener 1883 127.0.0.1\nlistener 8883 127.0.0.1\ncertfile /c.pem\nkeyfile /k.pem\n"
        let running = try config(text)
        let reload = ConfigurationReload(running: running, reread: try config("# a comment first\n\n" + text))
        XCTAssertEqual(reload.needsRestart, [])
        XCTAssertEqual(reload.applied.listeners[1].definedAt?.line, 5, "errors name the listener where it is now")
    }

    func testTLSFilesApplyButTurningTLSOnOrChangingIdentityNeedsARestart() throws {
        let running = try config("""
            listener 8883 127.0.0.1
            certfile /old.crt
            keyfile /old.key
            listener 1883 127.0.0.1
            """)
        let reread = try config("""
            listener 8883 127.0.0.1
            certfile /new.crt
            keyfile /new.key
            use_identity_as_username true
            listener 1883 127.0.0.1
            certfile /plain-now-tls.crt
            keyfile /plain-now-tls.key
            """)
        let reload = ConfigurationReload(running: running, reread: reread)
        XCTAssertEqual(reload.applied.listeners[0].tls.certfile, "/new.crt")
        XCTAssertEqual(reload.applied.listeners[0].tls.keyfile, "/new.key")
        XCTAssertFalse(reload.applied.listeners[0].tls.useIdentityAsUsername)
        XCTAssertFalse(reload.applied.listeners[1].tls.isEnabled)
        XCTAssertEqual(reload.needsRestart.sorted(), [
            "certfile (listener 1883 at mosquitto.conf:5)", "keyfile (listener 1883 at mosquitto.conf:5)",
            "use_identity_as_username (listener 8883 at mosquitto.conf:1)",
        ])
    }

    func testChangedListenersNeedARestartAndKeepTheirSecurity() throws {
        let running = try config("""
            per_listener_settings true
            listener 1883 127.0.0.1
            password_file /a
            """)
        let reread = try config("""
            per_listener_settings true
            listener 1884 127.0.0.1
            password_file /b
            listener 1885 127.0.0.1
            """)
        let reload = ConfigurationReload(running: running, reread: reread)
        XCTAssertEqual(reload.applied.listeners.map(\.port), [1883])
        XCTAssertEqual(reload.applied.listeners[0].security.passwordFile, "/a")
        XCTAssertEqual(reload.needsRestart, [
            "listener (listener 1883 at mosquitto.conf:2 now listener 1884 at mosquitto.conf:2)",
            "listener (one added or removed)",
        ])
    }

    func testSwitchingPerListenerSettingsKeepsTheSecurityOptions() throws {
        let running = try config("allow_anonymous true\nlistener 1883 127.0.0.1\n")
        let reread = try config("per_listener_settings true\nlistener 1883 127.0.0.1\nallow_anonymous false\n")
        let reload = ConfigurationReload(running: running, reread: reread)
        XCTAssertTrue(reload.applied.listeners[0].security.allowAnonymous)
        XCTAssertTrue(reload.needsRestart.contains("per_listener_settings"), "\(reload.needsRestart)")
    }
}
