import Dashboard
import DashboardApp
import Synchronization

/// A connection's way into the UI queue. `c` closes it before the next broker's connection starts, so a late
/// message or "disconnected" from the old broker never lands in the fresh tree. Check and push happen under
/// one lock: once `close` returns, nothing more gets through (an uncontended lock per message, next to the
/// queue's own).
final class ConnectionOutlet: Sendable {
    private let queue: EventQueue
    private let open = Mutex(true)

    init(queue: EventQueue) { self.queue = queue }

    func push(_ event: DashboardEvent) {
        open.withLock { isOpen in
            if isOpen { queue.push(event) }
        }
    }

    func close() { open.withLock { $0 = false } }
}
