import Foundation
import MQTTCore
import NIOCore

/// The broker on NIO: owns a `BrokerCore`, hands it what happens on the event loop (packets, sockets opening
/// and closing, writability, store commits, the ticks of its timer) and carries out the actions it answers.
///
/// Every connection of every listener runs on the one event loop that owns this object, as mosquitto
/// runs on one thread: routing a message touches the publisher's and the subscribers' state with no
/// locks, and the batching of writes (one flush per connection per read burst) does the rest.
public final class Broker: @unchecked Sendable {
    static let versionText = BrokerCore<EventLoopClock>.versionText
    /// How often the core's deadlines are checked (keep alive, connect timeout, output stall); its
    /// housekeeping runs on every fourth tick.
    static let tickInterval = TimeAmount.milliseconds(250)

    public let eventLoop: any EventLoop
    let log: BrokerLog
    let store: (any BrokerStore)?
    let core: BrokerCore<EventLoopClock>
    private let clock: EventLoopClock
    private var connections: [ConnectionID: any BrokerEndpoint] = [:]
    private var nextConnectionID = 0
    private var ticker: RepeatedTask?
    /// The bridges (`connection` blocks), once the server started them; touched on the event loop only.
    var bridges: BridgeSet?
    /// Set while `finish` carries out actions: an event handed in meanwhile (a bridge answering the core at
    /// once) is picked up by that same loop, in order, instead of a nested one overtaking it.
    private var isFinishing = false
    /// A `finishSoon` is already scheduled for the end of this event-loop turn.
    private var isFinishScheduled = false

    /// `startedAt` is the wall-clock time of the start: the core keeps wall-clock time as that plus the
    /// event loop's time since (tests start it at a fixed date and move the loop's time).
    public init(configuration: BrokerConfiguration, eventLoop: any EventLoop, log: BrokerLog, store: (any BrokerStore)? = nil,
                startedAt: Date = Date()) {
        self.eventLoop = eventLoop
        self.log = log
        self.store = store
        clock = EventLoopClock(loop: eventLoop)
        core = BrokerCore(configuration: configuration, isPersistent: store != nil,
                          logTypes: Set(BrokerLog.LogType.allCases.filter(log.isEnabled)), startedAt: startedAt)
    }

    /// Restores retained messages and sessions from the store, then starts the timer.
    /// Restored sessions check read access with `security` until their client comes back.
    public func start(restoring state: StoredState = StoredState(), security: ListenerSecurity) -> EventLoopFuture<Void> {
        eventLoop.submit {
            self.core.handle(.tick, now: self.clock.now)
            self.core.restore(state, security: security)
            self.finish()
            self.ticker = self.eventLoop.scheduleRepeatedTask(initialDelay: Self.tickInterval, delay: Self.tickInterval) { _ in
                self.checkStore()
                self.handle(.tick)
                self.finish()
            }
        }
    }

    /// Closes every connection (v5 clients hear "server shutting down") and stops the timer.
    public func shutdown() -> EventLoopFuture<Void> {
        eventLoop.flatSubmit {
            self.ticker?.cancel()
            let closing = self.connections.values.map(\.closeFuture)
            self.handle(.shutdown)
            self.finish()
            return EventLoopFuture.andAllComplete(closing, on: self.eventLoop)
        }
    }

    // MARK: From the connections

    func opened(_ connection: any BrokerEndpoint, listener: ListenerContext, remoteAddress: String) -> ConnectionID {
        let id = ConnectionID(nextConnectionID)
        nextConnectionID += 1
        connections[id] = connection
        handle(.opened(id, listener: listener, remoteAddress: remoteAddress))
        return id
    }

    /// One packet of a read burst; the burst's actions are carried out at `finish()`.
    func received(_ packet: MQTTPacket, from id: ConnectionID) {
        if case .publish = packet { checkStore() }
        handle(.packet(id, packet))
    }

    /// Tells the core when the store starts or stops falling behind: checked before each PUBLISH (which is
    /// when it matters) and on every tick (which is how stalled publishers get read again).
    private func checkStore() {
        guard let store else { return }
        let fallingBehind = store.isFallingBehind
        if fallingBehind != core.storeIsFallingBehind { handle(.storeFallingBehind(fallingBehind)) }
    }

    func closed(_ id: ConnectionID) {
        connections.removeValue(forKey: id)
        handle(.closed(id))
        finish()
    }

    func received(bytes: Int) {
        core.statistics.bytesReceived &+= UInt64(bytes)
    }

    /// Hands one event to the core, at the event loop's time.
    func handle(_ event: BrokerEvent) {
        core.handle(event, now: clock.now)
    }

    /// Ends an event: carries out everything the core asked for, and what that in turn made it ask.
    func finish() {
        guard !isFinishing else { return }
        isFinishing = true
        defer { isFinishing = false }
        core.finishEvent()
        var actions = core.takeActions()
        while !actions.isEmpty {
            for action in actions { perform(action) }
            core.finishEvent()
            actions = core.takeActions()
        }
    }

    /// Ends the events handed in so far once this turn of the event loop is over: a burst of events from one
    /// read (a bridge's remote acknowledging many messages at once) then shares one `finish`, so the core's
    /// answers to all of them go out together instead of one write each.
    func finishSoon() {
        guard !isFinishScheduled else { return }
        isFinishScheduled = true
        eventLoop.assumeIsolated().execute { [self] in
            isFinishScheduled = false
            finish()
        }
    }

    /// Runs `body` on the event loop once every store change recorded so far is committed (without a store, on
    /// the next turn of the loop). From inside actions being carried out, first let them finish (`execute`): their
    /// changes may come after.
    /// With `urgent` false the store may hold its batch open a little (see `BrokerStore.whenDurable(urgent:)`).
    func whenRecordedChangesAreDurable(urgent: Bool = true, _ body: @escaping () -> Void) {
        let bound = NIOLoopBound(body, eventLoop: eventLoop)
        guard let store else { return eventLoop.execute { bound.value() } }
        store.whenDurable(urgent: urgent) { [eventLoop] in
            eventLoop.execute { bound.value() }
        }
    }

    // MARK: Carrying out actions

    private func perform(_ action: BrokerAction) {
        switch action {
        case .send(let id, let bytes):
            guard let connection = connections[id] else { return }
            let outboxWasFull = bytes.readableBytes >= CoreConnection.outboxLimit
            switch connection.send(bytes) {
            case .full:
                handle(.outputFull(id))
            case .writable where outboxWasFull:
                // Messages were held back for the full outbox, but the socket took it all: no writability
                // event will come to send them, so go on as one would, in an event of its own.
                eventLoop.assumeIsolated().execute { [self] in
                    handle(.writable(id))
                    finish()
                }
            case .writable, .gone:
                break
            }
        case .close(let id):
            connections[id]?.closeNow()
        case .pauseReading(let id):
            connections[id]?.setReading(false)
        case .resumeReading(let id):
            connections[id]?.setReading(true)
        case .recordStoreChanges(let changes):
            store?.record(contentsOf: changes)
        case .awaitCommit(let token, let urgent):
            guard store != nil else { return }
            whenRecordedChangesAreDurable(urgent: urgent) { [self] in
                handle(.committed(token))
                finish()
            }
        case .log(let type, let line):
            log.log(type, line)
        }
    }
}
