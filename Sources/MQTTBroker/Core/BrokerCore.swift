import Foundation
import MQTTCore
import NIOCore

/// One subscription as the routing trie keeps it (keyed by client id).
struct SubscriberEntry: Sendable {
    var options: SubscriptionOptions
    var identifier: Int?
}

/// The broker itself, with no IO: sessions, subscriptions, retained messages, wills, flow control and every
/// timer. It takes events (`handle(_:now:)`) and answers with actions (`takeActions()`): bytes to send,
/// sockets to close or stop reading, changes for the store, log lines. `Broker` carries them out on NIO;
/// tests and the fuzz target drive it with a manual clock.
///
/// Time comes only with the events, on clock `C`; wall-clock time (for what outlives the process: message
/// and session expiry, will delay) is `startedAt` plus the time passed on `C` since the first event.
final class BrokerCore<C: MQTTClock> {
    let configuration: BrokerConfiguration
    /// Whether a store takes the changes (persistence on).
    let isPersistent: Bool
    /// Which log lines are wanted; the others are never built.
    let logTypes: Set<BrokerLog.LogType>
    let startedAt: Date
    private var origin: C.Instant?
    /// The instant of the event being handled.
    private(set) var now: C.Instant?
    /// Time since the first event: what the core's own deadlines are kept in.
    private(set) var uptime: Duration = .zero

    var connections: [ConnectionID: CoreConnection] = [:]
    var sessions: [String: BrokerSession] = [:]
    var subscriptions = SubscriptionTrie<String, SubscriberEntry>()
    let retained = RetainedMessages()
    var statistics = BrokerStatistics()
    /// Wills waiting out their delay interval, by client id.
    var pendingWills: [String: PendingWill] = [:]
    /// Round-robin position per share group.
    var shareCursor: [String: Int] = [:]
    /// Connections with an outbox; sent at the end of each event.
    var dirtyConnections: [CoreConnection] = []
    var lastHousekeeping: Duration = .zero
    /// Keep-alive watchdogs of connected clients that asked for one.
    var keepAlives: [ConnectionID: ServerKeepAliveStateMachine<C>] = [:]
    var lastSysPublish: Duration?
    /// Order of outgoing QoS 1/2 messages, broker-wide: never reused, not even by a client id's next
    /// session, so the store can tell a message's changes from any other's (see `StoreBatchCoalescing`).
    var nextSequence: Int64 = 1
    /// Client ids of connected sessions whose full queues paused their publishers.
    var congestedSessions: Set<String> = []
    var pausedPublishers: [ConnectionID: CoreConnection] = [:]
    /// Publishers not read while the store falls behind, resumed once it has caught up.
    var storeStalledPublishers: [ConnectionID: CoreConnection] = [:]
    var storeIsFallingBehind = false
    /// Changes recorded during the current event, handed to the store at its end.
    var changesForStore: [StoreChange] = []
    /// Acks held during the current event, released by the commit that `awaitCommit` asks for at its end.
    var acksAfterCommit: [HeldAck] = []
    var acksAwaitingCommit: [CommitToken: [HeldAck]] = [:]
    var nextCommitToken = 0
    /// Held acks by the outgoing sequence of a persistent delivery they may wait for instead of the commit.
    var deliveryWaiters: [Int64: HeldAck] = [:]
    /// The client PUBLISH being routed, and what it changed so far (nil while routing wills and `$SYS`).
    var publishInProgress: PublishInProgress?
    /// Reused by routing so that a publish allocates nothing per receiver.
    var routeScratch = RouteScratch()
    let allocator = ByteBufferAllocator()
    /// Each listener's security since the last reload (by `ListenerContext.index`); nil before any. It
    /// replaces the security of the context a connection opens with, which was built at start.
    var reloadedSecurity: [ListenerSecurity]?
    /// What the current event asked for, in order.
    private var actions: [BrokerAction] = []

    init(configuration: BrokerConfiguration, isPersistent: Bool, logTypes: Set<BrokerLog.LogType>, startedAt: Date) {
        self.configuration = configuration
        self.isPersistent = isPersistent
        self.logTypes = logTypes
        self.startedAt = startedAt
    }

    /// Wall-clock time of the event being handled.
    var wallNow: Date {
        startedAt.addingTimeInterval(Double(uptime.components.seconds) + Double(uptime.components.attoseconds) * 1e-18)
    }

    // MARK: Events in, actions out

    /// Handles one event at `now` (never earlier than the last). Its actions wait in `takeActions()`; packets
    /// for a connection collect in one buffer until `finishEvent()`, so a burst of reads is one write each.
    func handle(_ event: BrokerEvent, now: C.Instant) {
        advance(to: now)
        switch event {
        case .opened(let id, let listener, let remoteAddress):
            opened(id, listener: listener, remoteAddress: remoteAddress)
        case .identified(let id, let username):
            connections[id]?.certificateUsername = username
        case .packet(let id, let packet):
            guard let connection = connections[id], !connection.isClosing else { return }
            received(packet, over: connection)
        case .malformed(let id, let error):
            guard let connection = connections[id] else { return }
            malformed(error, over: connection)
        case .socketFailed(let id, let reason):
            guard let connection = connections[id], !connection.isClosing else { return }
            close(connection, reason: nil, log: "Socket error on client \(connection.clientID), disconnecting: \(reason).")
        case .closed(let id):
            guard let connection = connections.removeValue(forKey: id) else { return }
            keepAlives.removeValue(forKey: id)
            connection.isClosing = true
            connection.outbox = nil
            dropHeldAcks(of: connection)
            connectionClosed(connection)
        case .outputFull(let id):
            guard let connection = connections[id] else { return }
            connection.isWritable = false
            pauseReading(connection, .outputFull)
        case .writable(let id):
            guard let connection = connections[id] else { return }
            connection.isWritable = true
            resumeReading(connection, .outputFull)
            sendWhatWaits(over: connection)
        case .committed(let token):
            guard let acks = acksAwaitingCommit.removeValue(forKey: token) else { return }
            committed(acks)
        case .storeFallingBehind(let fallingBehind):
            storeIsFallingBehind = fallingBehind
            if !fallingBehind { resumeStoreStalledPublishers() }
        case .publishFromBroker(let message):
            route(message, from: nil)
        case .securityReloaded(let securities):
            reloadSecurity(securities)
        case .tick:
            tick()
        case .shutdown:
            for connection in connections.values where !connection.isClosing {
                close(connection, reason: .serverShuttingDown, log: "Closing connection of client \(connection.clientID): the broker is stopping.")
            }
        case .disconnectClient(let clientID):
            disconnectByOperator(clientID)
        }
    }

    /// Ends an event: the changes and acks held for the store go to it, and every outbox becomes a `send`.
    func finishEvent() {
        if !changesForStore.isEmpty {
            actions.append(.recordStoreChanges(changesForStore))
            changesForStore.removeAll(keepingCapacity: true)
        }
        if !acksAfterCommit.isEmpty {
            let token = CommitToken(rawValue: nextCommitToken)
            nextCommitToken &+= 1
            // Urgent unless every held ack expects its subscribers' acks first (a bridge's remote, say).
            let urgent = acksAfterCommit.contains { !$0.expectsDeliveries }
            acksAwaitingCommit[token] = acksAfterCommit
            acksAfterCommit = []
            actions.append(.awaitCommit(token, urgent: urgent))
        }
        guard !dirtyConnections.isEmpty else { return }
        for connection in dirtyConnections {
            guard let outbox = connection.outbox else { continue }
            connection.outbox = nil
            actions.append(.send(connection.id, outbox))
        }
        dirtyConnections.removeAll(keepingCapacity: true)
    }

    /// The actions asked for since the last call, in order (call `finishEvent()` first to get the sends).
    func takeActions() -> [BrokerAction] {
        guard !actions.isEmpty else { return [] }
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    func ask(_ action: BrokerAction) {
        actions.append(action)
    }

    private func advance(to instant: C.Instant) {
        guard let origin else {
            origin = instant
            now = instant
            return
        }
        if let now, instant < now { return }
        now = instant
        uptime = origin.duration(to: instant)
    }

    /// The instant at broker time `time`, for the keep-alive machines.
    func instant(at time: Duration) -> C.Instant? {
        origin?.advanced(by: time)
    }

    // MARK: Helpers for the extensions

    func log(_ type: BrokerLog.LogType, _ message: @autoclosure () -> String) {
        guard logTypes.contains(type) else { return }
        actions.append(.log(type, message()))
    }

    /// Connects and disconnects, unless `connection_messages false` silenced them.
    func logConnection(_ message: @autoclosure () -> String) {
        if configuration.connectionMessages { log(.notice, message()) }
    }

    /// Records a change when persistence is on and the session is one that outlives its connection.
    func record(_ change: StoreChange, for session: BrokerSession) {
        guard session.isStored else { return }
        persist(change)
    }

    func takeSequence() -> Int64 {
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// Every change to persistent state goes through here, so a publish can tell what it changed.
    /// Changes collect during an event and go to the store together at its end (`finishEvent`).
    func persist(_ change: StoreChange) {
        guard isPersistent else { return }
        if publishInProgress != nil {
            switch change {
            case .enqueue(_, let sequence, _): publishInProgress!.effects.enqueued.append(sequence)
            case .markSent(_, let sequence, _):
                if publishInProgress!.effects.enqueued.contains(sequence) { publishInProgress!.effects.sentAtOnce += 1 }
            default: publishInProgress!.effects.needsCommit = true
            }
        }
        changesForStore.append(change)
    }
}
