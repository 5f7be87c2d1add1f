import Foundation

/// Reads mosquitto.conf files into a `BrokerConfiguration`.
///
/// The format (mosquitto.conf(5)): one option per line, `name value...`, words separated by
/// spaces or tabs; a line whose first non-blank character is `#` is a comment. Options that
/// take a path or free text take the rest of the line, so paths may contain spaces.
///
/// - An unknown option is a warning (collected in `BrokerConfiguration.warnings`), as is an
///   option mosquitto has but this broker ignores (plugins, PSK, ...).
/// - A malformed value (bad number or boolean, a missing argument, an unknown `log_dest` or
///   `log_type`, `listener` without a port, TLS half configured, ...) is an error; parsing
///   carries on to report every error and then throws `ConfigurationError`.
/// - `include_dir` is read only in the main file, its `*.conf` files in mosquitto's order
///   (case sensitive alphabetical, the upper case of a letter before its lower case).
public enum ConfigParser {
    /// Reads the file at `path` (and its `include_dir`s).
    public static func load(path: String) throws(ConfigurationError) -> BrokerConfiguration {
        var state = ParserState()
        guard let text = readText(path) else {
            throw ConfigurationError(diagnostics: [
                ConfigDiagnostic(severity: .error, file: path, line: 0, option: nil,
                                 message: "Unable to open config file \(path).")
            ])
        }
        state.parse(text: text, file: path, isMain: true)
        return try state.finish()
    }

    /// Parses configuration text; `file` names it in diagnostics. `include_dir` lines are
    /// followed on disk.
    public static func parse(_ text: String, file: String = "<config>") throws(ConfigurationError) -> BrokerConfiguration {
        var state = ParserState()
        state.parse(text: text, file: file, isMain: true)
        return try state.finish()
    }

    /// mosquitto's include_dir order: case sensitive, and for each letter its upper case sorts
    /// just before its lower case (`00.conf 01.conf A.conf a.conf B.conf b.conf`).
    public static func includeOrder(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ byte: UInt8) -> (UInt16, UInt8) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return (UInt16(byte + 32) << 1, 0)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                return (UInt16(byte) << 1 | 1, 0)
            default:
                return (UInt16(byte) << 1, 0)
            }
        }
        for (l, r) in zip(lhs.utf8, rhs.utf8) where l != r {
            return key(l) < key(r)
        }
        return lhs.utf8.count < rhs.utf8.count
    }

    static func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Options mosquitto 2.0 knows that this broker accepts and ignores (with a warning).
private let ignoredOptions: Set<String> = [
    "auth_plugin", "plugin", "auth_plugin_deny_special_chars", "psk_hint", "bind_interface",
    "websockets_log_level", "websockets_headers_size", "memory_limit", "clientid_prefixes",
    "log_facility", "autosave_on_changes", "tls_engine", "tls_engine_kpass_sha1", "tls_keyform",
    "dhparamfile", "ciphers_tls1.3", "require_ocsp", "enable_control_api",
]

struct ParserState {
    typealias Config = BrokerConfiguration

    var config = Config()
    var diagnostics: [ConfigDiagnostic] = []

    var defaultListener = Config.Listener(port: 1883, isDefault: true)
    /// `port` or `bind_address` was given.
    var defaultPortOrBindGiven = false
    /// A listener option (max_connections, protocol, TLS, ...) was given before any `listener`.
    var defaultListenerOptionGiven = false
    var listeners: [Config.Listener] = []
    /// Where TLS options of each listener were last set (index -1: default listener).
    var tlsLocation: [Int: (String, Int)] = [:]
    var securitySettingSeen = false
    var logDestSet = false
    var logTypeSet = false
    var logFileSet = false

    // The line being parsed.
    var file = ""
    var line = 0
    var option = ""

    mutating func parse(text: String, file: String, isMain: Bool) {
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let trimmed = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            self.file = file
            self.line = lineNumber
            let name: Substring
            let rest: String
            if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                name = trimmed[..<space]
                rest = trimmed[space...].trimmingCharacters(in: .whitespaces)
            } else {
                name = trimmed[...]
                rest = ""
            }
            option = String(name)
            handle(option: option, rest: rest, isMain: isMain)
        }
    }

    // MARK: Diagnostics

    mutating func error(_ message: String) {
        diagnostics.append(ConfigDiagnostic(severity: .error, file: file, line: line, option: option, message: message))
    }

    mutating func warning(_ message: String) {
        diagnostics.append(ConfigDiagnostic(severity: .warning, file: file, line: line, option: option, message: message))
    }

    // MARK: Values

    /// The whole rest of the line, or an error when it is empty.
    mutating func text(_ rest: String) -> String? {
        if rest.isEmpty {
            error("Missing value for \(option).")
            return nil
        }
        return rest
    }

    mutating func single(_ rest: String) -> String? {
        let parts = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = parts.first else {
            error("Missing value for \(option).")
            return nil
        }
        if parts.count > 1 {
            error("Too many values for \(option): expected one, got \"\(rest)\".")
            return nil
        }
        return String(first)
    }

    mutating func integer(_ rest: String, in range: ClosedRange<Int>) -> Int? {
        guard let word = single(rest) else { return nil }
        guard let value = Int(word) else {
            error("Invalid \(option) value \"\(word)\": expected an integer.")
            return nil
        }
        guard range.contains(value) else {
            error("Invalid \(option) value \(value): must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return value
    }

    mutating func boolean(_ rest: String) -> Bool? {
        guard let word = single(rest) else { return nil }
        switch word {
        case "true": return true
        case "false": return false
        default:
            error("Invalid \(option) value \"\(word)\": expected true or false.")
            return nil
        }
    }

    mutating func choice<T: RawRepresentable>(_ rest: String, _: T.Type) -> T? where T.RawValue == String {
        guard let word = single(rest) else { return nil }
        guard let value = T(rawValue: word) else {
            error("Invalid \(option) value \"\(word)\".")
            return nil
        }
        return value
    }

    // MARK: Scoped settings

    /// Applies a security option where per_listener_settings says it belongs.
    mutating func setSecurity(_ apply: (inout Config.SecuritySettings) -> Void) {
        securitySettingSeen = true
        if config.perListenerSettings {
            if listeners.isEmpty {
                apply(&defaultListener.securityOptions)
            } else {
                apply(&listeners[listeners.count - 1].securityOptions)
            }
        } else {
            apply(&config.security)
        }
    }

    /// Applies a listener option to the listener being configured (the default one before any
    /// `listener` line).
    mutating func setListener(_ apply: (inout Config.Listener) -> Void) {
        if listeners.isEmpty {
            defaultListenerOptionGiven = true
            apply(&defaultListener)
        } else {
            apply(&listeners[listeners.count - 1])
        }
    }

    mutating func setTLS(_ apply: (inout Config.TLSSettings) -> Void) {
        tlsLocation[listeners.count - 1] = (file, line)
        setListener { apply(&$0.tls) }
    }

    // MARK: Options

    mutating func handle(option: String, rest: String, isMain: Bool) {
        switch option {
        // Listeners
        case "listener":
            let parts = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let portWord = parts.first else {
                error("Missing port for listener.")
                return
            }
            guard parts.count <= 2 else {
                error("Too many values for listener: expected a port and an optional bind address.")
                return
            }
            guard let port = Int(portWord), (0...65535).contains(port) else {
                error("Invalid listener port \"\(portWord)\": expected 0 to 65535.")
                return
            }
            let address = parts.count == 2 ? parts[1] : nil
            if port == 0 && address == nil {
                error("Listener port 0 needs a Unix socket path as its second value.")
                return
            }
            var listener = Config.Listener(port: port, bindAddress: address)
            listener.definedAt = (file, line)
            listeners.append(listener)
        case "port":
            guard let port = integer(rest, in: 1...65535) else { return }
            defaultListener.port = port
            defaultPortOrBindGiven = true
        case "bind_address":
            guard let address = single(rest) else { return }
            defaultListener.bindAddress = address
            defaultPortOrBindGiven = true
        case "protocol":
            guard let value = choice(rest, Config.TransportProtocol.self) else { return }
            setListener { $0.transport = value }
        case "socket_domain":
            guard let value = choice(rest, Config.SocketDomain.self) else { return }
            setListener { $0.socketDomain = value }
        case "max_connections":
            guard let value = integer(rest, in: Int(Int32.min)...Int(Int32.max)) else { return }
            setListener { $0.maxConnections = value < 0 ? -1 : value }
        case "max_qos":
            guard let value = integer(rest, in: 0...2) else { return }
            setListener { $0.maxQoS = value }
        case "max_topic_alias":
            guard let value = integer(rest, in: 0...65535) else { return }
            setListener { $0.maxTopicAlias = value }
        case "mount_point":
            guard let value = text(rest) else { return }
            guard !value.contains("+"), !value.contains("#") else {
                return error("Invalid mount_point \"\(value)\": it is a topic prefix and cannot contain + or #.")
            }
            setListener { $0.mountPoint = value }
        case "use_username_as_clientid":
            guard let value = boolean(rest) else { return }
            setListener { $0.useUsernameAsClientID = value }
        case "http_dir":
            guard let value = text(rest) else { return }
            setListener { $0.httpDir = value }

        // TLS
        case "certfile":
            guard let value = text(rest) else { return }
            setTLS { $0.certfile = value }
        case "keyfile":
            guard let value = text(rest) else { return }
            setTLS { $0.keyfile = value }
        case "cafile":
            guard let value = text(rest) else { return }
            setTLS { $0.cafile = value }
        case "capath":
            guard let value = text(rest) else { return }
            setTLS { $0.capath = value }
        case "crlfile":
            guard let value = text(rest) else { return }
            setTLS { $0.crlfile = value }
        case "ciphers":
            guard let value = single(rest) else { return }
            setTLS { $0.ciphers = value }
        case "require_certificate":
            guard let value = boolean(rest) else { return }
            setTLS { $0.requireCertificate = value }
        case "use_identity_as_username":
            guard let value = boolean(rest) else { return }
            setTLS { $0.useIdentityAsUsername = value }
        case "use_subject_as_username":
            guard let value = boolean(rest) else { return }
            setTLS { $0.useSubjectAsUsername = value }
        case "tls_version":
            guard let value = single(rest) else { return }
            guard ["tlsv1.3", "tlsv1.2", "tlsv1.1"].contains(value) else {
                error("Invalid tls_version value \"\(value)\": expected tlsv1.3, tlsv1.2 or tlsv1.1.")
                return
            }
            setTLS { $0.tlsVersion = value }

        // Security
        case "per_listener_settings":
            guard let value = boolean(rest) else { return }
            if securitySettingSeen {
                error("per_listener_settings must be set before any other security settings.")
                return
            }
            config.perListenerSettings = value
        case "allow_anonymous":
            guard let value = boolean(rest) else { return }
            setSecurity { $0.allowAnonymous = value }
        case "password_file":
            guard let value = text(rest) else { return }
            setSecurity { $0.passwordFile = value }
        case "acl_file":
            guard let value = text(rest) else { return }
            setSecurity { $0.aclFile = value }
        case "psk_file":
            guard let value = text(rest) else { return }
            warning("psk_file is not supported by mqdash's broker; ignored.")
            setSecurity { $0.pskFile = value }
        case "allow_zero_length_clientid":
            guard let value = boolean(rest) else { return }
            setSecurity { $0.allowZeroLengthClientID = value }
        case "auto_id_prefix":
            guard let value = text(rest) else { return }
            setSecurity { $0.autoIDPrefix = value }

        // Persistence and process
        case "persistence":
            guard let value = boolean(rest) else { return }
            config.persistence = value
        case "persistence_location":
            guard let value = text(rest) else { return }
            config.persistenceLocation = value
        case "persistence_file":
            guard let value = text(rest) else { return }
            config.persistenceFile = value
        case "persistence_sync":
            // mqdash only (mosquitto has no such option): normal or full, see PersistenceSync.
            guard let word = single(rest) else { return }
            guard let value = Config.PersistenceSync(rawValue: word) else {
                return error("Invalid persistence_sync value \"\(word)\": expected normal or full.")
            }
            config.persistenceSync = value
        case "autosave_interval":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            config.autosaveInterval = value
        case "pid_file":
            guard let value = text(rest) else { return }
            config.pidFile = value
        case "user":
            guard let value = single(rest) else { return }
            config.user = value
        case "include_dir":
            guard let directory = text(rest) else { return }
            guard isMain else {
                error("include_dir is only allowed in the main configuration file.")
                return
            }
            include(directory: directory)

        // Logging
        case "log_dest":
            logDestination(rest)
        case "log_type":
            logType(rest)
        case "log_timestamp":
            guard let value = boolean(rest) else { return }
            config.logTimestamp = value
        case "log_timestamp_format":
            guard let value = text(rest) else { return }
            config.logTimestampFormat = value
        case "connection_messages":
            guard let value = boolean(rest) else { return }
            config.connectionMessages = value

        // Limits and behaviour
        case "max_packet_size":
            guard let value = integer(rest, in: 20...268_435_460) else { return }
            config.maxPacketSize = value
        case "max_connecting_bytes":
            // mqdash only: see BrokerConfiguration.maxConnectingBytes. A floor of 1 KiB keeps room for a CONNECT.
            guard let value = integer(rest, in: 1_024...Int(Int32.max)) else { return }
            config.maxConnectingBytes = value
        case "metrics_listener":
            // mqdash only: [ADDRESS:]PORT of the Prometheus /metrics and /health endpoint, 127.0.0.1 without an address.
            guard let word = single(rest) else { return }
            var host = "127.0.0.1"
            var portText = Substring(word)
            if let colon = word.lastIndex(of: ":") {
                host = String(word[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                portText = word[word.index(after: colon)...]
            }
            guard !host.isEmpty, let port = Int(portText), (1...65_535).contains(port) else {
                return error("Invalid metrics_listener \"\(word)\": expected PORT or ADDRESS:PORT, as in 127.0.0.1:9883.")
            }
            config.metricsListener = BrokerConfiguration.MetricsListener(host: host, port: port)
        case "message_size_limit":
            guard let value = integer(rest, in: 0...268_435_455) else { return }
            config.messageSizeLimit = value
        case "max_inflight_messages":
            guard let value = integer(rest, in: 0...65535) else { return }
            config.maxInflightMessages = value
        case "max_inflight_bytes":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            config.maxInflightBytes = value
        case "max_queued_messages":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            config.maxQueuedMessages = value
        case "max_queued_bytes":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            config.maxQueuedBytes = value
        case "max_keepalive":
            guard let value = integer(rest, in: 0...65535) else { return }
            config.maxKeepalive = value
        case "sys_interval":
            guard let value = integer(rest, in: 0...Int(Int32.max)) else { return }
            config.sysInterval = value
        case "retain_available":
            guard let value = boolean(rest) else { return }
            config.retainAvailable = value
        case "persistent_client_expiration":
            guard let word = single(rest) else { return }
            guard let seconds = Self.duration(word) else {
                error("Invalid persistent_client_expiration value \"\(word)\": expected a number followed by h, d, w, m or y, as in 14d.")
                return
            }
            config.persistentClientExpiration = seconds
        case "queue_qos0_messages":
            guard let value = boolean(rest) else { return }
            config.queueQoS0Messages = value
        case "upgrade_outgoing_qos":
            guard let value = boolean(rest) else { return }
            config.upgradeOutgoingQoS = value
        case "set_tcp_nodelay":
            guard let value = boolean(rest) else { return }
            config.setTCPNoDelay = value
        case "allow_duplicate_messages":
            guard let value = boolean(rest) else { return }
            config.allowDuplicateMessages = value
        case "check_retain_source":
            guard let value = boolean(rest) else { return }
            config.checkRetainSource = value

        // Bridges
        case "connection":
            startBridge(rest)

        default:
            if Self.bridgeOptionNames.contains(option) {
                return handleBridgeOption(option, rest: rest)
            }
            if ignoredOptions.contains(option) || option.hasPrefix("auth_opt_") || option.hasPrefix("plugin_opt_") {
                warning("\(option) is not supported by mqdash's broker; ignored.")
            } else {
                warning("Unknown configuration variable \"\(option)\"; ignored.")
            }
        }
    }

    mutating func logDestination(_ rest: String) {
        let parts = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let kind = parts.first else {
            error("Missing value for log_dest.")
            return
        }
        if !logDestSet {
            // The first log_dest replaces the default (stderr).
            config.logDestinations = []
            logDestSet = true
        }
        let destination: Config.LogDestination
        switch kind {
        case "stdout": destination = .stdout
        case "stderr": destination = .stderr
        case "syslog": destination = .syslog
        case "topic": destination = .topic
        case "dlt": destination = .dlt
        case "none":
            config.logDestinations = []
            return
        case "file":
            let path = rest.dropFirst(kind.count).trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                error("log_dest file needs a path, as in \"log_dest file /var/log/mosquitto/mosquitto.log\".")
                return
            }
            if logFileSet {
                error("Only one log_dest file may be configured.")
                return
            }
            logFileSet = true
            config.logDestinations.append(.file(path))
            return
        default:
            error("Invalid log_dest value \"\(kind)\": expected stdout, stderr, syslog, topic, file PATH, dlt or none.")
            return
        }
        if parts.count > 1 {
            error("Too many values for log_dest \(kind).")
            return
        }
        if !config.logDestinations.contains(destination) {
            config.logDestinations.append(destination)
        }
    }

    mutating func logType(_ rest: String) {
        guard let word = single(rest) else { return }
        if !logTypeSet {
            config.logTypes = []
            logTypeSet = true
        }
        switch word {
        case "none":
            config.logTypes = []
        case "all":
            config.logTypes = Set(Config.LogType.allCases)
        default:
            guard let type = Config.LogType(rawValue: word) else {
                error("Invalid log_type value \"\(word)\": expected debug, error, warning, notice, information, subscribe, unsubscribe, websockets, none or all.")
                return
            }
            config.logTypes.insert(type)
        }
    }

    /// `persistent_client_expiration`: an integer and h, d, w, m (30 days) or y (365 days).
    static func duration(_ word: String) -> Int? {
        guard let unit = word.last, let number = Int(word.dropLast()), number >= 0 else { return nil }
        let scale: Int
        switch unit {
        case "h": scale = 3600
        case "d": scale = 86400
        case "w": scale = 7 * 86400
        case "m": scale = 30 * 86400
        case "y": scale = 365 * 86400
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : seconds
    }

    mutating func include(directory: String) {
        let (savedFile, savedLine, savedOption) = (file, line, option)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            error("Unable to open include_dir \"\(directory)\".")
            return
        }
        let confs = names.filter { $0.hasSuffix(".conf") }.sorted(by: ConfigParser.includeOrder)
        for name in confs {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let text = ConfigParser.readText(path) else {
                (file, line, option) = (savedFile, savedLine, savedOption)
                error("Unable to open included config file \"\(path)\".")
                continue
            }
            parse(text: text, file: path, isMain: false)
        }
        (file, line, option) = (savedFile, savedLine, savedOption)
    }

    // MARK: Finishing

    mutating func finish() throws(ConfigurationError) -> BrokerConfiguration {
        var result = config
        let perListener = config.perListenerSettings
        let localOnly: Bool
        var effective: [Config.Listener] = []
        if listeners.isEmpty {
            // mosquitto 2.0.11: the implicit listener becomes a real one (every interface,
            // anonymous refused by default) once it is given a port, an address or a listener
            // option, or, with per_listener_settings, a password file.
            let configured = defaultPortOrBindGiven || defaultListenerOptionGiven
                || (perListener && (defaultListener.securityOptions.passwordFile != nil
                    || defaultListener.securityOptions.pskFile != nil))
            localOnly = !configured
            var listener = defaultListener
            if localOnly {
                listener.bindAddress = "127.0.0.1"
            }
            effective.append(listener)
        } else {
            localOnly = false
            if defaultPortOrBindGiven {
                effective.append(defaultListener)
            }
            effective.append(contentsOf: listeners)
        }

        for index in effective.indices {
            let raw = perListener ? effective[index].securityOptions : config.security
            effective[index].security = Config.EffectiveSecurity(
                allowAnonymous: localOnly ? true : (raw.allowAnonymous ?? false),
                passwordFile: raw.passwordFile,
                aclFile: raw.aclFile,
                allowZeroLengthClientID: raw.allowZeroLengthClientID ?? true,
                autoIDPrefix: raw.autoIDPrefix ?? "auto-")
        }

        // TLS settings have to be complete.
        for (offset, listener) in ([defaultListener] + listeners).enumerated() {
            let tls = listener.tls
            let location = tlsLocation[offset - 1] ?? listener.definedAt ?? (file, line)
            (file, line) = location
            option = "listener"
            let described = listener.isDefault ? "the default listener" : "listener \(listener.port)"
            if (tls.certfile == nil) != (tls.keyfile == nil) {
                option = tls.certfile == nil ? "keyfile" : "certfile"
                error("Both certfile and keyfile are needed for TLS on \(described).")
            }
            if tls.requireCertificate && tls.cafile == nil && tls.capath == nil {
                option = "require_certificate"
                error("require_certificate on \(described) needs cafile or capath to check client certificates.")
            }
            if (tls.cafile != nil || tls.requireCertificate) && !tls.isEnabled && tls.certfile == nil && tls.keyfile == nil {
                option = "cafile"
                error("cafile/require_certificate on \(described) need certfile and keyfile too.")
            }
        }

        checkBridges()
        result.bridges = config.bridges
        result.listeners = effective
        result.isLocalOnly = localOnly
        result.warnings = diagnostics.filter { $0.severity == .warning }
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ConfigurationError(diagnostics: diagnostics)
        }
        return result
    }
}
