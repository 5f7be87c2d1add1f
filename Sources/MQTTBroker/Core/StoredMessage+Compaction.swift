import NIOCore

extension StoredMessage {
    /// The message with a payload of its own when it is a slice of a much larger read buffer. A payload
    /// arrives as a slice of the socket read (up to 64 KB); a message that is kept (retained, queued for
    /// an offline client) would otherwise pin that whole read buffer for as long as it lives.
    func compacted() -> StoredMessage {
        let size = payload.readableBytes
        guard payload.storageCapacity > size * 2 + 64 else { return self }
        var copy = self
        var own = ByteBufferAllocator().buffer(capacity: size)
        own.writeImmutableBuffer(payload)
        copy.payload = own
        return copy
    }
}
