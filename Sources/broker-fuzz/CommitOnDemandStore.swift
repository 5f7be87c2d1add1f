import MQTTBroker
import NIOConcurrencyHelpers

/// A store that keeps nothing and commits when the program says so, so that acks held behind the store
/// are released at a point the input chooses, the same way on every run.
final class CommitOnDemandStore: BrokerStore, @unchecked Sendable {
    private let waiting = NIOLockedValueBox<[@Sendable () -> Void]>([])

    func load() throws -> StoredState { StoredState() }
    func record(_ change: StoreChange) {}
    func record(contentsOf changes: [StoreChange]) {}
    func whenDurable(_ durable: @escaping @Sendable () -> Void) { waiting.withLockedValue { $0.append(durable) } }
    func close() {}

    func commit() {
        let callbacks = waiting.withLockedValue { callbacks in
            defer { callbacks = [] }
            return callbacks
        }
        for callback in callbacks { callback() }
    }
}
