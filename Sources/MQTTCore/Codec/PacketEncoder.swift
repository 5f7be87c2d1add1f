import NIOCore

extension MQTTPacket {
    /// Appends the whole packet, fixed header included, to `buffer`.
    /// Every body knows its length up front, so the packet is written in one pass with no scratch buffer.
    public func write(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        switch self {
        case .publish(let packet) where version == .v3_1_1 || packet.properties.isEmpty:
            return try packet.writeWithoutProperties(into: &buffer, version: version)
        default: break
        }
        let bodyLength: Int
        var flags = type.requiredFlags
        switch self {
        case .connect(let packet): bodyLength = packet.bodyLength()
        case .connAck(let packet): bodyLength = packet.bodyLength(version: version)
        case .publish(let packet):
            bodyLength = packet.bodyLength(version: version)
            flags = packet.fixedHeaderFlags
        case .pubAck(let packet), .pubRec(let packet), .pubRel(let packet), .pubComp(let packet):
            bodyLength = packet.bodyLength(version: version)
        case .subscribe(let packet): bodyLength = packet.bodyLength(version: version)
        case .subAck(let packet): bodyLength = packet.bodyLength(version: version)
        case .unsubscribe(let packet): bodyLength = packet.bodyLength(version: version)
        case .unsubAck(let packet): bodyLength = packet.bodyLength(version: version)
        case .pingReq, .pingResp: bodyLength = 0
        case .disconnect(let packet): bodyLength = packet.bodyLength(version: version)
        case .auth(let packet):
            guard version == .v5 else { throw .notInVersion(.auth, version) }
            bodyLength = packet.bodyLength()
        }
        guard bodyLength <= maximumVariableByteInteger else { throw .packetTooLarge(bodyLength) }

        buffer.reserveCapacity(minimumWritableBytes: 1 + variableByteIntegerSize(bodyLength) + bodyLength)
        // A field that turns out too long is only found while writing: roll back what was written so far,
        // so a caller appending to a stream never sends half a packet.
        let start = buffer.writerIndex
        do {
            buffer.writeInteger(type.rawValue << 4 | flags)
            buffer.writeVariableByteInteger(bodyLength)
            try writeBody(into: &buffer, version: version)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    private func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        switch self {
        case .connect(let packet): try packet.writeBody(into: &buffer)
        case .connAck(let packet): try packet.writeBody(into: &buffer, version: version)
        case .publish(let packet): try packet.writeBody(into: &buffer, version: version)
        case .pubAck(let packet), .pubRec(let packet), .pubRel(let packet), .pubComp(let packet):
            try packet.writeBody(into: &buffer, version: version)
        case .subscribe(let packet): try packet.writeBody(into: &buffer, version: version)
        case .subAck(let packet): try packet.writeBody(into: &buffer, version: version)
        case .unsubscribe(let packet): try packet.writeBody(into: &buffer, version: version)
        case .unsubAck(let packet): try packet.writeBody(into: &buffer, version: version)
        case .pingReq, .pingResp: break
        case .disconnect(let packet): try packet.writeBody(into: &buffer, version: version)
        case .auth(let packet): try packet.writeBody(into: &buffer)
        }
    }

    /// Size on the wire, for checking a peer's maximum packet size before sending.
    public func encodedSize(version: MQTTVersion) -> Int {
        var scratch = ByteBuffer()
        do { try write(into: &scratch, version: version) } catch { return Int.max }
        return scratch.readableBytes
    }
}
