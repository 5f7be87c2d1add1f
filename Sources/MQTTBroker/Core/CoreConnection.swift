import DequeModule
import Foundation
import MQTTCore
import NIOCore

/// One client connection as the core sees it: what was agreed at CONNECT, flow control both ways, and the
/// packets encoded for it since the event began. No socket: the core's actions carry the bytes out.
final class CoreConnection {
    enum State {
        case awaitingConnect
        case connected(BrokerSession)
        case closed
    }

    /// Past this many encoded-but-unsent bytes QoS 0 messages are dropped, as for a full write buffer.
    static let outboxLimit = 1 << 20

    let id: ConnectionID
    /// Its security is replaced when the broker reloads the password and ACL files.
    var listener: ListenerContext
    let remoteAddress: String
    var state = State.awaitingConnect
    var version = MQTTVersion.v3_1_1
    var clientID = "<unknown>"
    /// A close was asked for: later packets are ignored, the socket goes at the end of the event.
    var isClosing = false
    /// Broker time of the socket's opening, for the connect timeout.
    let openedAt: Duration

    /// Everything encoded for the client during the current event, sent as one buffer when it ends. One buffer
    /// instead of one per packet: a flood of PINGREQs once left a million 2-byte PINGRESP buffers waiting (each
    /// an allocation and a queue node), so the write buffer's bound in bytes did not bound memory.
    var outbox: ByteBuffer?
    /// False from `outputFull` until `writable`: the socket's write buffer is past its high-water mark.
    var isWritable = true
    var readPauses: ReadPauses = []
    /// Broker time since when the client has read nothing we sent (output full), for the stall limit.
    var outputFullSince: Duration?

    // What the client allows us (v5 CONNECT properties, or our defaults).
    /// Outgoing QoS 1/2 messages the client accepts at once (its receive maximum).
    var sendQuota = 65_535
    var clientMaximumPacketSize = Int.max
    var clientTopicAliasMaximum: UInt16 = 0
    var outgoingAliases: [String: UInt16] = [:]

    // What we allow the client.
    /// Our receive maximum: incoming QoS 1/2 not yet acknowledged (v5 overrun is DISCONNECT 0x93).
    var receiveMaximum = 65_535
    var incomingUnacknowledged = 0
    /// Acks held back until their messages are safe (see `HeldAck`), in the order they must leave.
    var heldAcks: Deque<HeldAck> = []
    var incomingAliases: [UInt16: String] = [:]

    /// The client said it is another broker's bridge (protocol level bit 0x80).
    var isBridge = false
    /// The user name the client certificate gives, on a listener that takes it from there.
    var certificateUsername: String?

    /// Published when the connection ends without a normal DISCONNECT.
    var will: Will?
    var sessionExpiryAtConnect: UInt32 = 0
    /// Broker time of the last packet from the client (or of reading resuming), fed to its keep-alive machine.
    var lastPacketAt: Duration

    // For the dashboard's broker pane (`BrokerOverview`): set at CONNECT, counted per PUBLISH.
    /// The keep alive in force (after `max_keepalive`), in seconds.
    var keepAlive: UInt16 = 0
    var connectedAt: Date?
    /// PUBLISH packets from and to the client: one increment each, read as rates by the dashboard.
    var publishesReceived: UInt64 = 0
    var publishesSent: UInt64 = 0

    init(id: ConnectionID, listener: ListenerContext, remoteAddress: String, openedAt: Duration) {
        self.id = id
        self.listener = listener
        self.remoteAddress = remoteAddress
        self.openedAt = openedAt
        lastPacketAt = openedAt
    }

    var isOpen: Bool { !isClosing }

    /// QoS 0 messages are dropped rather than buffered once the socket's write buffer is full.
    var isAcceptingQoS0: Bool {
        isWritable && !isClosing && (outbox?.readableBytes ?? 0) < Self.outboxLimit
    }

    /// The session this connection carries, if it got that far.
    var session: BrokerSession? {
        if case .connected(let session) = state { return session }
        return nil
    }
}
