import NIOCore

/// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape (spec 3.4 to 3.7).
public struct AckPacket: Sendable, Hashable {
    public var packetID: UInt16
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(packetID: UInt16, reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.packetID = packetID
        self.reasonCode = reasonCode
        self.properties = properties
    }

    /// v5 lets a successful ack without properties drop its reason code (spec 3.4.2.1).
    private func isShortForm(version: MQTTVersion) -> Bool {
        version == .v3_1_1 || (reasonCode == .success && properties.isEmpty)
    }

    func bodyLength(version: MQTTVersion) -> Int {
        if isShortForm(version: version) { return 2 }
        return 3 + properties.encodedLengthWithPrefix()
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        buffer.writeInteger(packetID)
        if isShortForm(version: version) { return }
        buffer.writeInteger(reasonCode.rawValue)
        try properties.write(into: &buffer)
    }

    static func readBody(from buffer: inout ByteBuffer, type: MQTTPacketType, version: MQTTVersion) throws(MQTTDecodeError) -> AckPacket {
        let packetID = try buffer.readMQTTUInt16()
        guard packetID != 0 else { throw .packetIdentifierZero }
        guard version == .v5, buffer.readableBytes > 0 else { return AckPacket(packetID: packetID) }
        let code = try buffer.readMQTTByte()
        let allowed = (type == .pubAck || type == .pubRec) ? AllowedReasonCodes.pubAckOrRec : AllowedReasonCodes.pubRelOrComp
        guard allowed.contains(code) else { throw .invalidReasonCode(code, type) }
        let context: PropertyContext =
            switch type {
            case .pubAck: .pubAck
            case .pubRec: .pubRec
            case .pubRel: .pubRel
            default: .pubComp
            }
        let properties = buffer.readableBytes > 0 ? try Properties.read(from: &buffer, context: context) : Properties()
        return AckPacket(packetID: packetID, reasonCode: ReasonCode(rawValue: code), properties: properties)
    }
}
