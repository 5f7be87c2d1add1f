import Foundation
import MQTTCore
import NIOCore

/// A message as the broker keeps it: what a retained topic holds and what waits in a session's queue.
public struct StoredMessage: Sendable, Hashable {
    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    /// PUBLISH properties as received, without topic alias and subscription identifiers (those are per delivery).
    public var properties: Properties
    /// Wall-clock deadline from the message expiry interval; nil when the message never expires.
    public var expiresAt: Date?

    public init(topic: String, payload: ByteBuffer, qos: QoS, retain: Bool, properties: Properties = [], expiresAt: Date? = nil) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
        self.expiresAt = expiresAt
    }
}

/// One subscription of a persistent session.
public struct StoredSubscription: Sendable, Hashable {
    public var filter: String
    public var options: SubscriptionOptions
    public var identifier: Int?

    public init(filter: String, options: SubscriptionOptions, identifier: Int? = nil) {
        self.filter = filter
        self.options = options
        self.identifier = identifier
    }
}

/// A QoS 1/2 message on its way to a session's client: queued (no packet id yet) or in flight.
public struct StoredOutgoing: Sendable, Hashable {
    /// Per-session order of arrival; delivery resumes in this order.
    public var sequence: Int64
    public var message: StoredMessage
    /// Set once the message was sent; nil while it only waits in the queue.
    public var packetID: UInt16?
    /// QoS 2: PUBREC arrived, so only PUBREL/PUBCOMP remain.
    public var released: Bool

    public init(sequence: Int64, message: StoredMessage, packetID: UInt16? = nil, released: Bool = false) {
        self.sequence = sequence
        self.message = message
        self.packetID = packetID
        self.released = released
    }
}

/// Everything a persistent session needs to continue after a restart.
public struct StoredSession: Sendable, Hashable {
    public var clientID: String
    /// Seconds the session outlives its connection; `UInt32.max` never expires.
    public var expiryInterval: UInt32
    /// Nil while connected (or when the broker stopped with the client connected).
    public var disconnectedAt: Date?
    /// The user name the client logged in with: deliveries to the restored session are checked against its ACL.
    public var username: String?
    public var subscriptions: [StoredSubscription]
    /// Ordered by `sequence`.
    public var outgoing: [StoredOutgoing]
    /// Incoming QoS 2 packet ids whose PUBREL has not arrived yet.
    public var awaitingRelease: [UInt16]

    public init(clientID: String, expiryInterval: UInt32, disconnectedAt: Date? = nil, username: String? = nil,
                subscriptions: [StoredSubscription] = [], outgoing: [StoredOutgoing] = [], awaitingRelease: [UInt16] = []) {
        self.clientID = clientID
        self.expiryInterval = expiryInterval
        self.disconnectedAt = disconnectedAt
        self.username = username
        self.subscriptions = subscriptions
        self.outgoing = outgoing
        self.awaitingRelease = awaitingRelease
    }
}

/// What a store holds when the broker starts.
public struct StoredState: Sendable, Hashable {
    public var retained: [StoredMessage]
    public var sessions: [StoredSession]

    public init(retained: [StoredMessage] = [], sessions: [StoredSession] = []) {
        self.retained = retained
        self.sessions = sessions
    }
}

/// One change to persistent state. The broker records changes as they happen; the store applies them in order.
public enum StoreChange: Sendable, Hashable {
    case setRetained(StoredMessage)
    case clearRetained(topic: String)
    /// Creates the session or updates its expiry interval; marks it connected.
    /// `username` is the identity the session's ACL checks use until its client comes back.
    case putSession(clientID: String, expiryInterval: UInt32, username: String? = nil)
    case sessionDisconnected(clientID: String, at: Date)
    /// Removes the session with its subscriptions, queue and pending releases.
    case deleteSession(clientID: String)
    case putSubscription(clientID: String, StoredSubscription)
    case removeSubscription(clientID: String, filter: String)
    case enqueue(clientID: String, sequence: Int64, StoredMessage)
    case markSent(clientID: String, sequence: Int64, packetID: UInt16)
    case markReleased(clientID: String, sequence: Int64)
    /// Acknowledged (PUBACK / PUBCOMP), expired or dropped.
    case removeOutgoing(clientID: String, sequence: Int64)
    case awaitRelease(clientID: String, packetID: UInt16)
    case releaseArrived(clientID: String, packetID: UInt16)
}

/// Where persistent state lives. Calls come from the broker's event loop and must not block it:
/// `record` only buffers, and a background writer commits batches (group commit).
public protocol BrokerStore: AnyObject, Sendable {
    /// Reads everything back at start-up (before any `record`).
    func load() throws -> StoredState
    /// Buffers a change for the next commit.
    func record(_ change: StoreChange)
    /// Buffers several changes, in order, at the cost of one.
    func record(contentsOf changes: [StoreChange])
    /// Calls `durable` (on any thread) once every change recorded so far is committed.
    func whenDurable(_ durable: @escaping @Sendable () -> Void)
    /// The same; with `urgent` false nobody waits for this commit in a hurry, and the store may hold its batch
    /// open a moment so that work undone meanwhile (a message queued and then acknowledged) never reaches the disk.
    func whenDurable(urgent: Bool, _ durable: @escaping @Sendable () -> Void)
    /// True while the last commit failed (disk full, database locked) or the uncommitted backlog is
    /// past its bound: the broker then stops reading publishers instead of buffering without end.
    var isFallingBehind: Bool { get }
    /// Commits what is buffered and closes the database.
    func close()
}

extension BrokerStore {
    /// Stores that commit at once anyway treat every commit as urgent.
    public func whenDurable(urgent: Bool, _ durable: @escaping @Sendable () -> Void) {
        whenDurable(durable)
    }
}
