import NIOCore

/// Properties as bytes for a database column: the MQTT v5 wire form (a variable byte integer
/// length, then each property), so storage and the network share one tested codec.
extension Properties {
    /// The list in MQTT's encoding, order and repeated user properties kept.
    public func storageBytes() throws(MQTTEncodeError) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: encodedLengthWithPrefix())
        try write(into: &buffer)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// Reads back what `storageBytes()` wrote. Any property is accepted (no packet context),
    /// but the bytes must hold exactly one well-formed list.
    public init(storageBytes bytes: some Collection<UInt8>) throws(MQTTDecodeError) {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        self = try Properties.read(from: &buffer, context: nil)
        guard buffer.readableBytes == 0 else { throw .trailingBytes(buffer.readableBytes) }
    }
}
