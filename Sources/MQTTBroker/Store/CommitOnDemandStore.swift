import NIOConcurrencyHelpers

/// A store that writes nothing and commits only when told to, so that what waits for a commit (held
/// acks) is released at a point of the caller's choosing, the same way on every run. For the broker's
/// tests and its fuzz target, which drive the broker on an embedded event loop: the broker's
/// `whenDurable` callbacks hop to that loop, so they run at its next `run()`.
public final class CommitOnDemandStore: BrokerStore, @unchecked Sendable {
    private let lock = NIOLock()
    private var waiting: [@Sendable () -> Void] = []
    private var changes: [StoreChange] = []
    private var urgencies: [Bool] = []
    /// What `isFallingBehind` answers: set it to play a store that cannot commit.
    public let fallingBehind = NIOLockedValueBox(false)

    public init() {}

    /// Every change recorded so far, in order.
    public var recorded: [StoreChange] { lock.withLock { changes } }
    /// Whether each commit waited for so far was asked for urgently, in order.
    public var commitUrgencies: [Bool] { lock.withLock { urgencies } }

    public func load() throws -> StoredState { StoredState() }
    public func record(_ change: StoreChange) { lock.withLock { changes.append(change) } }
    public func record(contentsOf more: [StoreChange]) { lock.withLock { changes += more } }
    public func whenDurable(_ durable: @escaping @Sendable () -> Void) { whenDurable(urgent: true, durable) }
    public func whenDurable(urgent: Bool, _ durable: @escaping @Sendable () -> Void) {
        lock.withLock {
            waiting.append(durable)
            urgencies.append(urgent)
        }
    }
    public var isFallingBehind: Bool { fallingBehind.withLockedValue { $0 } }
    public func close() {}

    /// Everything recorded so far is durable now: runs the callbacks waiting for that.
    public func commit() {
        let callbacks = lock.withLock { () -> [@Sendable () -> Void] in
            defer { waiting = [] }
            return waiting
        }
        for callback in callbacks { callback() }
    }
}
