import MQTTCore

/// What the embedded broker reports to its pane about once a second (`DashboardEvent.brokerReport`).
/// The Dashboard target knows no broker: the app copies the broker's own overview into this. Counters are
/// totals; the pane turns two reports into rates.
public struct BrokerReport: Sendable, Equatable {
    public struct Client: Sendable, Equatable {
        /// Tells this connection from a later one of the same client id.
        public var connection: Int
        /// As the client chose it: shown only through `SafeText`.
        public var clientID: String
        public var username: String?
        public var remoteAddress: String
        public var version: MQTTVersion
        public var keepAlive: Int
        public var subscriptions: Int
        public var queued: Int
        public var inflight: Int
        /// PUBLISH packets from and to the client since it connected.
        public var messagesReceived: UInt64
        public var messagesSent: UInt64
        /// Seconds since 1970.
        public var connectedAt: Double

        public init(connection: Int, clientID: String, username: String? = nil, remoteAddress: String = "",
                    version: MQTTVersion = .v5, keepAlive: Int = 60, subscriptions: Int = 0, queued: Int = 0,
                    inflight: Int = 0, messagesReceived: UInt64 = 0, messagesSent: UInt64 = 0, connectedAt: Double = 0) {
            self.connection = connection
            self.clientID = clientID
            self.username = username
            self.remoteAddress = remoteAddress
            self.version = version
            self.keepAlive = keepAlive
            self.subscriptions = subscriptions
            self.queued = queued
            self.inflight = inflight
            self.messagesReceived = messagesReceived
            self.messagesSent = messagesSent
            self.connectedAt = connectedAt
        }
    }

    /// The broker-wide figures, as `$SYS/broker/...` names them.
    public struct Figures: Sendable, Equatable {
        public var connectedClients = 0
        public var sessions = 0
        public var messagesReceived: UInt64 = 0
        public var messagesSent: UInt64 = 0
        public var bytesReceived: UInt64 = 0
        public var bytesSent: UInt64 = 0
        public var retained = 0
        public var dropped: UInt64 = 0
        public var uptimeSeconds = 0

        public init() {}
    }

    /// One bridge (`connection` block) of the broker.
    public struct Bridge: Sendable, Equatable {
        public var name: String
        public var isUp: Bool
        /// `host:port` of the remote in use (or tried last).
        public var address: String
        /// Waiting in the bridge's session for the remote.
        public var queued: Int
        /// Acknowledged by the remote, received from it, and dropped, since the broker started.
        public var forwarded: UInt64
        public var received: UInt64
        public var dropped: UInt64
        /// Why the link went down last; from the network, so shown only through `SafeText`.
        public var lastError: String?
        /// Seconds since 1970 of the next attempt while down.
        public var retryAt: Double?

        public init(name: String, isUp: Bool, address: String, queued: Int = 0, forwarded: UInt64 = 0, received: UInt64 = 0,
                    dropped: UInt64 = 0, lastError: String? = nil, retryAt: Double? = nil) {
            self.name = name
            self.isUp = isUp
            self.address = address
            self.queued = queued
            self.forwarded = forwarded
            self.received = received
            self.dropped = dropped
            self.lastError = lastError
            self.retryAt = retryAt
        }
    }

    public var clients: [Client]
    public var figures: Figures
    public var bridges: [Bridge] = []
    /// Seconds since 1970 when the broker took it.
    public var takenAt: Double

    public init(clients: [Client], figures: Figures = Figures(), bridges: [Bridge] = [], takenAt: Double) {
        self.clients = clients
        self.figures = figures
        self.bridges = bridges
        self.takenAt = takenAt
    }
}
