import MQTTCore
import NIOCore
import Synchronization

/// Keeps `MQTTClient.events` bounded for a consumer that may lag (`mqdash sub` piped into a slow reader): once
/// `messages` messages or `bytes` payload bytes wait in the stream, the client stops reading its socket, so
/// TCP flow control holds the broker back instead of the stream growing without end; when the consumer has
/// taken half of them (`MQTTClient.messageConsumed`), reading starts again. Nothing is dropped here: a broker
/// that cannot send applies its own queue limits, and counts what it drops.
public final class StreamBackpressure: Sendable {
    public struct Limits: Sendable, Hashable {
        public var messages: Int
        public var bytes: Int

        public init(messages: Int, bytes: Int) {
            self.messages = max(1, messages)
            self.bytes = max(1, bytes)
        }
    }

    let limits: Limits
    private let messages = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let paused = Atomic<Bool>(false)
    /// Times reading was paused, for tests and reports.
    private let pauses = Atomic<Int>(0)

    init(_ limits: Limits) { self.limits = limits }

    public var pauseCount: Int { pauses.load(ordering: .relaxed) }
    public var queuedMessages: Int { messages.load(ordering: .relaxed) }

    /// On the client's event loop, after a message went into the stream.
    func queued(_ message: PublishPacket, client: MQTTClient) {
        let count = messages.add(1, ordering: .acquiringAndReleasing).newValue
        let size = bytes.add(message.payload.readableBytes, ordering: .acquiringAndReleasing).newValue
        guard count >= limits.messages || size >= limits.bytes, !paused.load(ordering: .acquiring) else { return }
        paused.store(true, ordering: .releasing)
        pauses.add(1, ordering: .relaxed)
        client.setReading(false)
    }

    /// On the consumer's thread, after it took a message from the stream.
    func consumed(_ message: PublishPacket, client: MQTTClient) {
        let count = messages.subtract(1, ordering: .acquiringAndReleasing).newValue
        let size = bytes.subtract(message.payload.readableBytes, ordering: .acquiringAndReleasing).newValue
        guard count <= limits.messages / 2, size <= limits.bytes / 2, paused.load(ordering: .acquiring) else { return }
        client.eventLoop.execute {
            // Checked again on the loop: a message queued meanwhile may have paused it for a new reason.
            guard self.paused.load(ordering: .acquiring), self.messages.load(ordering: .acquiring) <= self.limits.messages / 2,
                  self.bytes.load(ordering: .acquiring) <= self.limits.bytes / 2 else { return }
            self.paused.store(false, ordering: .releasing)
            client.setReading(true)
        }
    }
}
