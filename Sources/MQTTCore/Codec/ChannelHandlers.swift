import NIOCore

/// NIO adapter around `PacketDecoder`. Decode errors are fired as errors, so the connection
/// handler decides how to close (with a v5 DISCONNECT reason code where there is one).
public struct MQTTPacketByteDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = MQTTPacket
    public var decoder: PacketDecoder

    public init(decoder: PacketDecoder) { self.decoder = decoder }

    public mutating func decode(buffer: inout ByteBuffer) throws -> MQTTPacket? {
        try decoder.next(from: &buffer)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MQTTPacket? {
        try decode(buffer: &buffer)
    }
}

/// Encodes outgoing packets for the connection's protocol version.
public final class MQTTPacketEncoder: MessageToByteEncoder {
    public typealias OutboundIn = MQTTPacket
    public var version: MQTTVersion

    public init(version: MQTTVersion) { self.version = version }

    public func encode(data: MQTTPacket, out: inout ByteBuffer) throws {
        try data.write(into: &out, version: version)
    }
}
