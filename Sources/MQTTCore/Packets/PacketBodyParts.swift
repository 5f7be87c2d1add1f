import NIOCore

// The parts several packets' bodies are made of, each read and written in one place.
extension ByteBuffer {
    /// The packet identifier of a packet that needs one: never 0 (spec 2.2.1).
    mutating func readMQTTPacketID() throws(MQTTDecodeError) -> UInt16 {
        let packetID = try readMQTTUInt16()
        guard packetID != 0 else { throw .packetIdentifierZero }
        return packetID
    }

    /// The packet identifier and, in v5, the properties that open SUBSCRIBE, SUBACK and UNSUBSCRIBE.
    mutating func readMQTTPacketIDAndProperties(
        version: MQTTVersion, context: PropertyContext
    ) throws(MQTTDecodeError) -> (UInt16, Properties) {
        let packetID = try readMQTTPacketID()
        return (packetID, version == .v5 ? try Properties.read(from: &self, context: context) : Properties())
    }

    mutating func writeMQTTPacketID(_ packetID: UInt16, andProperties properties: Properties, version: MQTTVersion) throws(MQTTEncodeError) {
        writeInteger(packetID)
        if version == .v5 { try properties.write(into: &self) }
    }

    /// A topic filter of SUBSCRIBE or UNSUBSCRIBE, refused unless it is a valid filter.
    mutating func readMQTTTopicFilter(direction: PacketDirection) throws(MQTTDecodeError) -> String {
        let filter = try readMQTTString(refusingControlCharacters: direction.refusesControlCharacters)
        do throws(TopicValidationError) { try Topic.validateFilter(filter) } catch { throw .invalidTopicFilter(error) }
        return filter
    }

    /// A v5 reason code, one of those `allowed` in a packet of `type`, and the properties after it, which the
    /// packet may leave out when it has none (PUBACK to PUBCOMP, DISCONNECT, AUTH).
    mutating func readMQTTReasonCode(
        allowed: Set<UInt8>, in type: MQTTPacketType, thenProperties context: PropertyContext
    ) throws(MQTTDecodeError) -> (ReasonCode, Properties) {
        let code = try readMQTTByte()
        guard allowed.contains(code) else { throw .invalidReasonCode(code, type) }
        let properties = readableBytes > 0 ? try Properties.read(from: &self, context: context) : Properties()
        return (ReasonCode(rawValue: code), properties)
    }

    mutating func writeMQTTReasonCode(_ code: ReasonCode, thenProperties properties: Properties) throws(MQTTEncodeError) {
        writeInteger(code.rawValue)
        try properties.write(into: &self)
    }
}
