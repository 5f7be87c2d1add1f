import Foundation
import MQTTCore
import NIOCore

/// One subscription as the routing trie keeps it (keyed by client id).
struct SubscriberEntry: Sendable {
    var options: SubscriptionOptions
    var identifier: Int?
}

/// The broker's state: sessions, subscriptions, retained messages, wills and statistics.
///
/// Every connection of every listener runs on the one event loop that owns this object, as mosquitto
/// runs on one thread: routing a message touches the publisher's and the subscribers' state with no
/// locks, and the batching of writes (one flush per connection per read burst) does the rest.
public final class Broker: @unchecked Sendable {
    public let eventLoop: any EventLoop
    let configuration: BrokerConfiguration
    let log: BrokerLog
    let store: (any BrokerStore)?
    /// Wall-clock time for what outlives the process (message expiry, session expiry, will delay): the
    /// one place the broker reads it, so tests run its timers on a clock they move by hand.
    let wallClock: @Sendable () -> Date
    let startedAt: Date

    var sessions: [String: BrokerSession] = [:]
    var subscriptions = SubscriptionTrie<String, SubscriberEntry>()
    let retained = RetainedMessages()
    var statistics = BrokerStatistics()
    /// Wills waiting out their delay interval, by client id.
    var pendingWills: [String: PendingWill] = [:]
    /// Round-robin position per share group.
    var shareCursor: [String: Int] = [:]
    /// Connections written to since their last flush; flushed once at the end of each event.
    var dirtyConnections: [BrokerConnection] = []
    var housekeeping: RepeatedTask?
    var lastSysPublish = Date.distantPast
    /// Order of outgoing QoS 1/2 messages, broker-wide: never reused, not even by a client id's next
    /// session, so the store can tell a message's changes from any other's (see `StoreBatchCoalescing`).
    var nextSequence: Int64 = 1
    /// The connection whose PUBLISH is being routed, for backpressure (see `Broker+Backpressure`).
    var currentPublisher: BrokerConnection?
    /// Client ids of connected sessions whose full queues paused their publishers.
    var congestedSessions: Set<String> = []
    var pausedPublishers: [ObjectIdentifier: BrokerConnection] = [:]
    /// Publishers not read while the store falls behind, resumed by the housekeeping once it caught up.
    var storeStalledPublishers: [ObjectIdentifier: BrokerConnection] = [:]
    /// Changes recorded during the current event, handed to the store at its end.
    var changesForStore: [StoreChange] = []
    /// Acks held during the current event, handed to the store's next `whenDurable` (see `Broker+HeldAcks`).
    var acksAfterCommit: [HeldAck] = []
    /// Held acks by the outgoing sequence of a persistent delivery they may wait for instead of the commit.
    var deliveryWaiters: [Int64: HeldAck] = [:]
    /// While a PUBLISH is routed: the sequences it queued for persistent sessions, and whether it changed
    /// anything else durable.
    var publishEnqueues: [Int64] = []
    var publishNeedsCommit = false
    var trackingPublish = false
    /// Reused by routing so that a publish allocates nothing per receiver.
    var routeScratch = RouteScratch()

    public init(configuration: BrokerConfiguration, eventLoop: any EventLoop, log: BrokerLog, store: (any BrokerStore)? = nil,
                wallClock: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.log = log
        self.store = store
        self.wallClock = wallClock
        startedAt = wallClock()
    }

    /// Restores retained messages and sessions from the store, then starts the once-a-second housekeeping.
    /// Restored sessions check read access with `security` until their client comes back.
    public func start(restoring state: StoredState = StoredState(), security: ListenerSecurity) -> EventLoopFuture<Void> {
        eventLoop.submit {
            self.restore(state, security: security)
            self.housekeeping = self.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                self.runHousekeeping(now: self.wallClock())
            }
        }
    }

    /// Closes every connection (v5 clients hear "server shutting down") and stops the timers.
    public func shutdown() -> EventLoopFuture<Void> {
        eventLoop.flatSubmit {
            self.housekeeping?.cancel()
            let closing = self.sessions.values.compactMap(\.connection).map { $0.shutDown() }
            return EventLoopFuture.andAllComplete(closing, on: self.eventLoop).always { _ in self.flushDirty() }
        }
    }

    func markDirty(_ connection: BrokerConnection) {
        dirtyConnections.append(connection)
    }

    /// Ends an event: the changes and the acks held for the store go to it, and every connection
    /// written to is flushed.
    func flushDirty() {
        if let store, !changesForStore.isEmpty {
            store.record(contentsOf: changesForStore)
            changesForStore.removeAll(keepingCapacity: true)
        }
        releaseAcksAfterCommit()
        guard !dirtyConnections.isEmpty else { return }
        for connection in dirtyConnections { connection.flushNow() }
        dirtyConnections.removeAll(keepingCapacity: true)
    }

    /// Connects and disconnects, unless `connection_messages false` silenced them.
    func logConnection(_ message: @autoclosure () -> String) {
        if configuration.connectionMessages { log.log(.notice, message()) }
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
    /// Changes collect during an event and go to the store together at its end (`flushDirty`).
    func persist(_ change: StoreChange) {
        guard store != nil else { return }
        if trackingPublish {
            switch change {
            case .enqueue(_, let sequence, _): publishEnqueues.append(sequence)
            case .markSent: break
            default: publishNeedsCommit = true
            }
        }
        changesForStore.append(change)
    }
}
