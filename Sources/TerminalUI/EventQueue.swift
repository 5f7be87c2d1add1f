import Dashboard
import Synchronization

/// The one queue through which outside events (MQTT, publish results) reach the UI thread.
/// Producers push from any thread; the UI loop takes everything queued in one batch.
public final class EventQueue: Sendable {
    private let storage = Mutex<[DashboardEvent]>([])

    public init() {}

    public func push(_ event: DashboardEvent) {
        storage.withLock { $0.append(event) }
    }

    /// Everything queued so far, oldest first; the queue is empty afterwards.
    public func drain() -> [DashboardEvent] {
        storage.withLock { events in
            var taken: [DashboardEvent] = []
            taken.reserveCapacity(events.count)
            swap(&taken, &events)
            return taken
        }
    }

    public var count: Int { storage.withLock { $0.count } }
}
