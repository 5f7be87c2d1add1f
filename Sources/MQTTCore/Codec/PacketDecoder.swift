import NIOCore

/// Which side of the connection decodes: each side only accepts the packets the other side sends.
public enum PacketDirection: Sendable {
    /// A broker decoding what clients send.
    case clientToServer
    /// A client decoding what the broker sends.
    case serverToClient
    /// Anything, for tools and tests.
    case any

    /// Whether client ids, user names and topics must be free of control characters. Only a broker
    /// insists (as mosquitto does): a dashboard shows whatever topics its broker sends, escaped.
    var refusesControlCharacters: Bool { self == .clientToServer }
}

/// Cuts complete packets out of a byte stream and decodes them.
///
/// The fixed header is read first: a remaining length over `maximumPacketSize` is refused at once,
/// so an oversized packet is never buffered.
public struct PacketDecoder: Sendable {
    public var version: MQTTVersion
    public var direction: PacketDirection
    /// Largest whole packet (fixed header included) accepted; MQTT's own ceiling by default.
    public var maximumPacketSize: Int

    public init(version: MQTTVersion, direction: PacketDirection, maximumPacketSize: Int = maximumVariableByteInteger + 5) {
        self.version = version
        self.direction = direction
        self.maximumPacketSize = maximumPacketSize
    }

    /// Decodes the next packet, or returns nil and consumes nothing while it is incomplete.
    /// A CONNECT sets `version` for the rest of the connection.
    public mutating func next(from buffer: inout ByteBuffer) throws(MQTTDecodeError) -> MQTTPacket? {
        guard buffer.readableBytes > 0 else { return nil }
        let header = try buffer.withUnsafeReadableBytes { bytes throws(MQTTDecodeError) in try FixedHeader(parsing: bytes) }
        guard case .complete(let first, let headerLength, let remainingLength) = header else {
            // The length is still arriving, but its first bytes already bound it from below: a peer announcing
            // a huge packet one byte at a time is refused as soon as that bound passes the maximum.
            guard case .incomplete(let atLeast) = header, atLeast > maximumPacketSize else { return nil }
            throw .packetTooLarge(size: atLeast, maximum: maximumPacketSize)
        }
        let total = headerLength + remainingLength
        guard total <= maximumPacketSize else { throw .packetTooLarge(size: total, maximum: maximumPacketSize) }
        guard var body = buffer.getSlice(at: buffer.readerIndex + headerLength, length: remainingLength) else { return nil }

        let packet = try Self.decode(first: first, body: &body, version: &version, direction: direction)
        guard body.readableBytes == 0 else { throw .trailingBytes(body.readableBytes) }
        buffer.moveReaderIndex(forwardBy: total)
        return packet
    }

    private static func decode(
        first: UInt8, body: inout ByteBuffer, version: inout MQTTVersion, direction: PacketDirection
    ) throws(MQTTDecodeError) -> MQTTPacket {
        let typeBits = first >> 4
        let flags = first & 0x0F
        guard let type = MQTTPacketType(rawValue: typeBits) else { throw .invalidPacketType(typeBits) }
        // Type 15 is reserved in 3.1.1 whoever decodes it: an AUTH read there could not even be written back.
        if type == .auth && version == .v3_1_1 { throw .invalidPacketType(typeBits) }
        switch direction {
        case .clientToServer where !type.sentByClient, .serverToClient where !type.sentByServer:
            throw .unexpectedPacketType(type)
        default: break
        }
        if type != .publish && flags != type.requiredFlags { throw .invalidFixedHeaderFlags(type, flags: flags) }

        switch type {
        case .connect:
            let connect = try ConnectPacket.readBody(from: &body, direction: direction)
            version = connect.version
            return .connect(connect)
        case .connAck: return .connAck(try ConnAckPacket.readBody(from: &body, version: version))
        case .publish: return .publish(try PublishPacket.readBody(from: &body, flags: flags, version: version, direction: direction))
        case .pubAck: return .pubAck(try AckPacket.readBody(from: &body, type: type, version: version))
        case .pubRec: return .pubRec(try AckPacket.readBody(from: &body, type: type, version: version))
        case .pubRel: return .pubRel(try AckPacket.readBody(from: &body, type: type, version: version))
        case .pubComp: return .pubComp(try AckPacket.readBody(from: &body, type: type, version: version))
        case .subscribe: return .subscribe(try SubscribePacket.readBody(from: &body, version: version, direction: direction))
        case .subAck: return .subAck(try SubAckPacket.readBody(from: &body, version: version))
        case .unsubscribe: return .unsubscribe(try UnsubscribePacket.readBody(from: &body, version: version, direction: direction))
        case .unsubAck: return .unsubAck(try UnsubAckPacket.readBody(from: &body, version: version))
        case .pingReq: return .pingReq
        case .pingResp: return .pingResp
        case .disconnect: return .disconnect(try DisconnectPacket.readBody(from: &body, version: version))
        case .auth: return .auth(try AuthPacket.readBody(from: &body))
        }
    }
}

/// The fixed header read straight from memory: one storage access instead of one per byte.
enum FixedHeader {
    /// The remaining length has not fully arrived; `atLeast` is the smallest whole packet its bytes allow
    /// (type byte, the length bytes seen, one more, and the value so far as body).
    case incomplete(atLeast: Int)
    case complete(first: UInt8, headerLength: Int, remainingLength: Int)

    /// A fourth length byte that still says "more" is an error at once, so a peer cannot make us wait on a fifth.
    init(parsing bytes: UnsafeRawBufferPointer) throws(MQTTDecodeError) {
        var value = 0
        var multiplier = 1
        for position in 0..<4 {
            guard 1 + position < bytes.count else {
                self = .incomplete(atLeast: 1 + position + 1 + value)
                return
            }
            let byte = bytes[1 + position]
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                self = .complete(first: bytes[0], headerLength: 2 + position, remainingLength: value)
                return
            }
            multiplier *= 128
        }
        throw .malformedVariableByteInteger
    }
}
