import NIOCore

/// What a bench payload carries in front of its padding, so a receiver can measure latency and
/// spot lost or repeated messages: send time (monotonic ns), a marker, publisher index, sequence.
struct BenchPayloadHeader: Equatable {
    /// "mqdb": tells bench payloads from anything else published on the same topics.
    static let marker: UInt32 = 0x6D71_6462
    /// 8 (time) + 4 (marker) + 4 (publisher) + 8 (sequence).
    static let size = 24

    var sentAt: UInt64
    var publisher: UInt32
    var sequence: UInt64

    /// A payload of `size` bytes (at least `Self.size`): the header, then zeros.
    func payload(size: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: size)
        buffer.writeInteger(sentAt)
        buffer.writeInteger(Self.marker)
        buffer.writeInteger(publisher)
        buffer.writeInteger(sequence)
        buffer.writeRepeatingByte(0, count: size - Self.size)
        return buffer
    }

    /// The header of a received payload, or nil when it was not written by a bench publisher.
    init?(reading payload: ByteBuffer) {
        guard payload.readableBytes >= Self.size,
            let sentAt = payload.getInteger(at: payload.readerIndex, as: UInt64.self),
            payload.getInteger(at: payload.readerIndex + 8, as: UInt32.self) == Self.marker,
            let publisher = payload.getInteger(at: payload.readerIndex + 12, as: UInt32.self),
            let sequence = payload.getInteger(at: payload.readerIndex + 16, as: UInt64.self)
        else { return nil }
        self.init(sentAt: sentAt, publisher: publisher, sequence: sequence)
    }

    init(sentAt: UInt64, publisher: UInt32, sequence: UInt64) {
        self.sentAt = sentAt
        self.publisher = publisher
        self.sequence = sequence
    }
}
