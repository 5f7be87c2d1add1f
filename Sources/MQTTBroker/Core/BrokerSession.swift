import DequeModule
import Foundation
import MQTTCore
import NIOCore

/// What the broker keeps for one client id, with or without a connection: subscriptions, messages
/// in flight and queued, incoming QoS 2 ids awaiting PUBREL. Lives on the broker's event loop.
final class BrokerSession {
    let clientID: String
    /// Seconds the session outlives its connection: 0 ends it with the connection; `UInt32.max` never.
    var expiryInterval: UInt32
    var username: String?
    /// The listener security the client authenticated with; read access is checked per delivery.
    var security: ListenerSecurity
    /// The listener whose security `security` is (`ListenerContext.index`), so a reload can replace it.
    var listenerIndex = 0
    var connection: CoreConnection?
    var disconnectedAt: Date?

    /// By the filter as subscribed (`$share/g/...` included).
    var subscriptions: [String: StoredSubscription] = [:]
    /// Sent and not yet acknowledged, by packet id.
    var inflight: [UInt16: OutgoingMessage] = [:]
    /// Waiting for room in the client's receive window, or for the client to come back.
    var queue: Deque<OutgoingMessage> = []
    var queuedBytes = 0
    var packetIDs = PacketIDAllocator()
    var awaitingRelease: Set<UInt16> = []
    /// Recorded in the store (persistence on and the session outlives its connection).
    var isStored = false
    /// When the client last acknowledged a message: a subscriber that still does is worth pausing publishers for.
    var lastAcknowledgement: Duration?
    /// Drops are logged at most every few seconds, with how many there were since the last line.
    var dropsSinceLog = 0
    /// Every message dropped for this session (a bridge publishes its own under `$SYS`).
    var droppedTotal: UInt64 = 0
    var lastDropLog: Date?

    init(clientID: String, expiryInterval: UInt32, username: String?, security: ListenerSecurity) {
        self.clientID = clientID
        self.expiryInterval = expiryInterval
        self.username = username
        self.security = security
    }

    /// In-flight messages in the order they were first sent, for resending after a reconnect.
    var inflightInOrder: [OutgoingMessage] {
        inflight.values.sorted { $0.sequence < $1.sequence }
    }
}
