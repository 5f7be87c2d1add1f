import MQTTCore
import NIOCore

/// The recent messages of one topic, a ring of at most `capacity`. The payloads are packed one after
/// another into a single byte array, oldest first, instead of one allocation each: with 100 000 topics
/// the per-payload allocations (an array header and malloc rounding around a 25-byte payload) were most
/// of the dashboard's memory.
///
/// `bytes` holds `dead` bytes of payloads that left the ring, then the live payloads in arrival order,
/// so an entry's bytes start where the previous entry's end and the newest payload is the suffix.
/// The dead prefix is cut away once it is more than half of the array.
struct TopicHistory: Sendable {
    private var entries: [HistoryEntry] = []
    /// Where the next entry goes once the ring is full; also the index of the oldest then.
    private var next = 0
    private var bytes: [UInt8] = []
    private var dead = 0

    var count: Int { entries.count }

    /// Appends `message` (its payload already capped by the caller), dropping the oldest at `capacity`.
    mutating func append(_ message: ReceivedMessage, capacity: Int) {
        let entry = HistoryEntry(message, length: message.payload.readableBytes)
        let payload = message.payload.readableBytesView.prefix(Int(entry.length))
        if entries.count < capacity {
            // Grow by half rather than double: 100 000 rings each up to half empty would be most of the memory.
            if entries.count == entries.capacity {
                entries.reserveCapacity(min(capacity, max(4, entries.count + entries.count / 2)))
            }
            entries.append(entry)
        } else {
            dead += Int(entries[next].length)
            entries[next] = entry
            next = (next + 1) % capacity
        }
        if dead > 0 && dead >= (bytes.count - dead) {
            bytes.removeFirst(dead)
            dead = 0
        }
        let needed = bytes.count + payload.count
        if needed > bytes.capacity { bytes.reserveCapacity(max(needed, bytes.count + bytes.count / 2)) }
        bytes.append(contentsOf: payload)
    }

    /// The newest payload, without copying.
    var newestPayload: ArraySlice<UInt8>? {
        guard let newest = newestEntry else { return nil }
        return bytes[(bytes.count - Int(newest.length))...]
    }

    private var newestEntry: HistoryEntry? {
        // Until the ring is full `next` stays 0 and the newest is the last element.
        next == 0 ? entries.last : entries[next - 1]
    }

    func newest(topic: String) -> ReceivedMessage? {
        guard let entry = newestEntry, let payload = newestPayload else { return nil }
        return entry.message(topic: topic, payload: payload)
    }

    /// Every entry, oldest first.
    func messages(topic: String) -> [ReceivedMessage] {
        var result: [ReceivedMessage] = []
        result.reserveCapacity(entries.count)
        var start = dead
        for index in 0..<entries.count {
            let entry = entries[(next + index) % entries.count]
            let end = start + Int(entry.length)
            result.append(entry.message(topic: topic, payload: bytes[start..<end]))
            start = end
        }
        return result
    }
}

/// A message as the per-topic history keeps it: no topic (the node has it) and no payload (the
/// history's byte array has it). 32 bytes.
struct HistoryEntry: Sendable {
    var receivedAt: Double
    var properties: Properties
    var size: Int
    /// Bytes of the stored (possibly cut) payload.
    var length: UInt32
    var qos: QoS
    var retain: Bool
    var dup: Bool

    init(_ message: ReceivedMessage, length: Int) {
        receivedAt = message.receivedAt
        properties = message.properties
        size = message.size
        self.length = UInt32(clamping: length)
        qos = message.qos
        retain = message.retain
        dup = message.dup
    }

    func message(topic: String, payload: ArraySlice<UInt8>) -> ReceivedMessage {
        ReceivedMessage(topic: topic, payload: ByteBuffer(bytes: payload), size: size, qos: qos, retain: retain, dup: dup,
                        properties: properties, receivedAt: receivedAt)
    }
}
