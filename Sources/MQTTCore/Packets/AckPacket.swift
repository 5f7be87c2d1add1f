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
        try buffer.writeMQTTReasonCode(reasonCode, thenProperties: properties)
    }

    static func readBody(from buffer: inout ByteBuffer, type: MQTTPacketType, version: MQTTVersion) throws(MQTTDecodeError) -> AckPacket {
        let packetID = try buffer.readMQTTPacketID()
        guard version == .v5, buffer.readableBytes > 0 else { return AckPacket(packetID: packetID) }
        let allowed = (type == .pubAck || type == .pubRec) ? AllowedReasonCodes.pubAckOrRec : AllowedReasonCodes.pubRelOrComp
        let context: PropertyContext =
            switch type {
            case .pubAck: .pubAck
            case .pubRec: .pubRec
            case .pubRel: .pubRel
            default: .pubComp
            }
        let (code, properties) = try buffer.readMQTTReasonCode(allowed: allowed, in: type, thenProperties: context)
        return AckPacket(packetID: packetID, reasonCode: code, properties: properties)
    }
}
