/// The broker's settings, read from a mosquitto.conf (see `ConfigParser`) or built in code.
///
/// Defaults are mosquitto 2.0's. `listeners` is the effective list: with no listener
/// configured at all it holds one listener on 127.0.0.1:1883 ("local only mode", where
/// anonymous clients are allowed whatever `allow_anonymous` says, as mosquitto 2.0.11 does).
public struct BrokerConfiguration: Sendable, Equatable {
    public enum TransportProtocol: String, Sendable, Equatable {
        case mqtt
        case websockets
    }

    public enum SocketDomain: String, Sendable, Equatable {
        case ipv4
        case ipv6
    }

    /// Where log lines go (`log_dest`).
    public enum LogDestination: Sendable, Hashable {
        case stdout
        case stderr
        case syslog
        /// `$SYS/broker/log/<severity>`.
        case topic
        case file(String)
        /// Diagnostic Log and Trace; accepted for compatibility, logs nowhere here.
        case dlt
    }

    /// Kinds of log lines (`log_type`). `none` and `all` are expanded while parsing.
    public enum LogType: String, Sendable, Hashable, CaseIterable {
        case debug
        case error
        case warning
        case notice
        case information
        case subscribe
        case unsubscribe
        case websockets
    }

    /// Authentication and access control. With `per_listener_settings true` each listener has
    /// its own (the options before the first `listener` line belong to the default listener);
    /// otherwise one set applies to all listeners. `nil` means "not set in the file".
    public struct SecuritySettings: Sendable, Equatable {
        public var allowAnonymous: Bool?
        public var passwordFile: String?
        public var aclFile: String?
        public var pskFile: String?
        public var allowZeroLengthClientID: Bool?
        public var autoIDPrefix: String?

        public init() {}

        var isEmpty: Bool { self == SecuritySettings() }
    }

    /// Authentication settings with defaults applied, as a listener uses them.
    public struct EffectiveSecurity: Sendable, Equatable {
        public var allowAnonymous: Bool
        public var passwordFile: String?
        public var aclFile: String?
        public var allowZeroLengthClientID: Bool
        public var autoIDPrefix: String

        public init(allowAnonymous: Bool, passwordFile: String? = nil, aclFile: String? = nil,
                    allowZeroLengthClientID: Bool = true, autoIDPrefix: String = "auto-") {
            self.allowAnonymous = allowAnonymous
            self.passwordFile = passwordFile
            self.aclFile = aclFile
            self.allowZeroLengthClientID = allowZeroLengthClientID
            self.autoIDPrefix = autoIDPrefix
        }
    }

    /// Certificate-based TLS for one listener. TLS is on when `certfile` and `keyfile` are set.
    public struct TLSSettings: Sendable, Equatable {
        public var certfile: String?
        public var keyfile: String?
        public var cafile: String?
        public var capath: String?
        public var crlfile: String?
        public var requireCertificate = false
        /// Minimum version: `tlsv1.3`, `tlsv1.2` or `tlsv1.1`; `nil` is 1.2 and up.
        public var tlsVersion: String?
        public var ciphers: String?
        /// The user name is the client certificate's common name (`use_identity_as_username`) or its whole
        /// subject (`use_subject_as_username`); the CONNECT's user name and password are not used.
        public var useIdentityAsUsername = false
        public var useSubjectAsUsername = false

        public init() {}

        /// Where a TLS listener's clients get their user name from, if not from CONNECT.
        public var usernameFromCertificate: CertificateUsername? {
            guard isEnabled else { return nil }
            if useIdentityAsUsername { return .commonName }
            return useSubjectAsUsername ? .subject : nil
        }

        public var isEnabled: Bool { certfile != nil && keyfile != nil }
    }

    public struct Listener: Sendable, Equatable {
        /// 0 only together with a Unix socket path in `bindAddress`.
        public var port: Int
        /// An address or host name, a Unix socket path (port 0), or `nil` for every interface.
        public var bindAddress: String?
        public var transport: TransportProtocol = .mqtt
        public var socketDomain: SocketDomain?
        /// -1 means no limit.
        public var maxConnections = -1
        public var maxQoS = 2
        public var maxTopicAlias = 10
        public var mountPoint: String?
        public var useUsernameAsClientID = false
        public var httpDir: String?
        public var tls = TLSSettings()
        /// The security settings in force on this listener, defaults applied.
        public var security: EffectiveSecurity
        /// True for the implicit listener (`port`/`bind_address`, or local only mode).
        public var isDefault: Bool
        /// Where the `listener` line is (nil for the default listener).
        public var definedAt: (file: String, line: Int)? {
            get { definedFile.map { ($0, definedLine) } }
            set { definedFile = newValue?.file; definedLine = newValue?.line ?? 0 }
        }
        var definedFile: String?
        var definedLine = 0
        /// Raw per-listener security options (only filled with per_listener_settings true).
        var securityOptions = SecuritySettings()

        public init(port: Int, bindAddress: String? = nil, isDefault: Bool = false,
                    security: EffectiveSecurity = EffectiveSecurity(allowAnonymous: false)) {
            self.port = port
            self.bindAddress = bindAddress
            self.isDefault = isDefault
            self.security = security
        }
    }

    // MARK: Listeners and security

    /// The listeners to open, in the order they were defined (the default listener first).
    public var listeners: [Listener]
    /// `connection` blocks, in order.
    public var bridges: [BridgeConfiguration] = []
    /// True when no listener was configured: one listener on 127.0.0.1:1883, anonymous allowed.
    public var isLocalOnly: Bool
    public var perListenerSettings = false
    /// The global security options (with per_listener_settings false); raw, before defaults.
    public var security = SecuritySettings()

    // MARK: Persistence and process

    /// How hard the persistence database pushes each commit to disk (`persistence_sync`, mqdash only).
    public enum PersistenceSync: String, Sendable, Equatable {
        /// SQLite `synchronous=NORMAL` in WAL mode: a commit reaches the operating system before a
        /// QoS 1/2 message is acknowledged, so it survives the broker being killed (even `kill -9`);
        /// a power cut or kernel crash may lose the last commits (never corrupts the file).
        case normal
        /// SQLite `synchronous=FULL`: every commit is fsynced, so it survives a power cut too;
        /// slower, though group commit shares one fsync among all messages of a batch.
        case full
    }

    public var persistence = false
    public var persistenceLocation: String?
    public var persistenceFile = "mosquitto.db"
    public var persistenceSync = PersistenceSync.normal
    public var autosaveInterval = 1800
    public var pidFile: String?
    /// `user`: the account mosquitto drops to when started as root; we refuse to start as root with
    /// another account named (see `RootPrivileges`).
    public var user: String?

    // MARK: Logging

    /// Default: stderr. Empty after `log_dest none`.
    public var logDestinations: [LogDestination] = [.stderr]
    /// Default: error, warning, notice, information.
    public var logTypes: Set<LogType> = [.error, .warning, .notice, .information]
    public var logTimestamp = true
    public var logTimestampFormat: String?
    public var connectionMessages = true

    // MARK: Limits

    /// nil: no limit. Otherwise at least 20.
    public var maxPacketSize: Int?
    /// `max_connecting_bytes` (mqdash only): memory all connections together may hold before their
    /// CONNECT is in (declared CONNECT sizes, WebSocket bytes before it), so unauthenticated sockets
    /// cannot grow the broker without bound. 64 MiB by default.
    public var maxConnectingBytes = 64 << 20
    /// mqdash's own `metrics_listener [ADDRESS:]PORT`: Prometheus `/metrics` and `/health` over HTTP (none by default).
    public var metricsListener: MetricsListener?

    public struct MetricsListener: Sendable, Equatable {
        public var host: String
        public var port: Int
    }
    /// Largest PUBLISH payload accepted; 0 means any valid MQTT payload.
    public var messageSizeLimit = 0
    /// 0 means no maximum.
    public var maxInflightMessages = 20
    public var maxInflightBytes = 0
    /// 0 means no maximum.
    public var maxQueuedMessages = 1000
    public var maxQueuedBytes = 0
    public var maxKeepalive = 65535
    /// Seconds between $SYS updates; 0 turns $SYS off.
    public var sysInterval = 10
    public var retainAvailable = true
    /// Seconds after which a disconnected persistent client is removed; nil: never.
    public var persistentClientExpiration: Int?
    public var queueQoS0Messages = false
    public var upgradeOutgoingQoS = false
    public var setTCPNoDelay = false
    public var allowDuplicateMessages = true
    public var checkRetainSource = true

    /// Warnings seen while parsing (unknown or ignored options), each with file and line.
    public var warnings: [ConfigDiagnostic] = []

    /// mosquitto 2.0 with no configuration file at all.
    public init() {
        listeners = [Listener(port: 1883, bindAddress: "127.0.0.1", isDefault: true,
                              security: EffectiveSecurity(allowAnonymous: true))]
        isLocalOnly = true
    }
}
