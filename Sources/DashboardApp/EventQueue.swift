import Dashboard
import Synchronization

/// The one queue through which outside events (MQTT, publish results) reach the UI thread.
/// Producers push from any thread; the UI loop takes everything queued in one batch.
///
/// Bounded: when the UI falls behind and `capacity` messages (or `payloadByteCapacity` bytes of their
/// payloads) are waiting, further messages are only counted, and the count reaches the UI as one
/// `.messagesSkipped` event with the next batch. Other events (connection, publish results) are rare
/// and always kept, so the status line never misses them.
public final class EventQueue: Sendable {
    public static let defaultCapacity = 50_000
    public static let defaultPayloadByteCapacity = 32 * 1024 * 1024

    public let capacity: Int
    public let payloadByteCapacity: Int

    private struct Pending {
        var events: [DashboardEvent] = []
        var messages = 0
        var payloadBytes = 0
        var skipped = 0
    }

    private let storage = Mutex(Pending())

    public init(capacity: Int = EventQueue.defaultCapacity, payloadByteCapacity: Int = EventQueue.defaultPayloadByteCapacity) {
        self.capacity = max(1, capacity)
        self.payloadByteCapacity = max(0, payloadByteCapacity)
    }

    public func push(_ event: DashboardEvent) {
        storage.withLock { pending in
            if case .message(let message) = event {
                let bytes = message.payload.readableBytes
                guard pending.messages < capacity, pending.messages == 0 || pending.payloadBytes + bytes <= payloadByteCapacity else {
                    pending.skipped += 1
                    return
                }
                pending.messages += 1
                pending.payloadBytes += bytes
            }
            pending.events.append(event)
        }
    }

    /// Everything queued so far, oldest first, then `.messagesSkipped` if any were skipped; the queue is
    /// empty afterwards.
    public func drain() -> [DashboardEvent] {
        storage.withLock { pending in
            var taken: [DashboardEvent] = []
            taken.reserveCapacity(pending.events.count + 1)
            swap(&taken, &pending.events)
            if pending.skipped > 0 { taken.append(.messagesSkipped(pending.skipped)) }
            pending = Pending()
            return taken
        }
    }

    /// Events waiting, skipped messages not included.
    public var count: Int { storage.withLock { $0.events.count } }
}
