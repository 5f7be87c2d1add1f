import NIOCore

/// PUBLISH (spec 3.3). The payload is a slice of the received buffer, never a copy.
public struct PublishPacket: Sendable, Hashable {
    /// Empty only on v5 when `properties` carries a topic alias.
    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    public var dup: Bool
    /// Present exactly when `qos` is above 0.
    public var packetID: UInt16?
    public var properties: Properties

    public init(
        topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false, dup: Bool = false,
        packetID: UInt16? = nil, properties: Properties = []
    ) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.packetID = packetID
        self.properties = properties
    }

    var fixedHeaderFlags: UInt8 {
        (dup ? 0x08 : 0) | (qos.rawValue << 1) | (retain ? 0x01 : 0)
    }

    func bodyLength(version: MQTTVersion) -> Int {
        var length = 2 + topic.utf8.count + payload.readableBytes
        if qos != .atMostOnce { length += 2 }
        if version == .v5 { length += properties.encodedLengthWithPrefix() }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        try buffer.writeMQTTString(topic)
        if qos != .atMostOnce { buffer.writeInteger(packetID ?? 0) }
        if version == .v5 {
            if properties.isEmpty {
                buffer.writeInteger(UInt8(0))
            } else {
                try properties.write(into: &buffer)
            }
        }
        buffer.writeImmutableBuffer(payload)
    }

    /// The whole packet in one raw write when there are no properties to encode, which is nearly every
    /// PUBLISH: this is the per-message cost of every connection. Checks come first, so nothing is half-written.
    func writeWithoutProperties(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        let topicLength = topic.utf8.count
        guard topicLength <= Int(UInt16.max) else { throw .stringTooLong(topicLength) }
        let body = bodyLength(version: version)
        guard body <= maximumVariableByteInteger else { throw .packetTooLarge(body) }
        buffer.writeRaw(size: 1 + variableByteIntegerSize(body) + body) { writer in
            writer.byte(MQTTPacketType.publish.rawValue << 4 | fixedHeaderFlags)
            writer.variableByteInteger(body)
            writer.uint16(UInt16(topicLength))
            writer.utf8(topic)
            if qos != .atMostOnce { writer.uint16(packetID ?? 0) }
            if version == .v5 { writer.byte(0) }
            writer.readableBytes(of: payload)
        }
    }

    static func readBody(
        from buffer: inout ByteBuffer, flags: UInt8, version: MQTTVersion, direction: PacketDirection
    ) throws(MQTTDecodeError) -> PublishPacket {
        let qosBits = (flags >> 1) & 0x03
        guard let qos = QoS(rawValue: qosBits) else { throw .invalidQoS(qosBits) }
        let dup = flags & 0x08 != 0
        if dup && qos == .atMostOnce { throw .duplicateFlagOnQoS0 }
        // Topic, packet id and an empty property list in one pass over raw memory: this runs for every message.
        let (field, packetID, noProperties, end) = try buffer.withUnsafeReadableBytes {
            bytes throws(MQTTDecodeError) -> (MQTTStringField, UInt16?, Bool, Int) in
            var (field, end) = try MQTTStringField.parse(bytes, at: 0)
            var packetID: UInt16?
            if qos != .atMostOnce {
                guard bytes.count - end >= 2 else { throw .truncated }
                packetID = UInt16(bytes[end]) << 8 | UInt16(bytes[end + 1])
                guard packetID != 0 else { throw .packetIdentifierZero }
                end += 2
            }
            let noProperties = version == .v5 && end < bytes.count && bytes[end] == 0
            return (field, packetID, noProperties, noProperties ? end + 1 : end)
        }
        buffer.moveReaderIndex(forwardBy: end)
        let topic = field.string
        let isValidName = field.isValidTopicName
        if direction.refusesControlCharacters && field.hasControlCharacter { throw .stringContainsControlCharacter }
        let properties = version == .v5 && !noProperties ? try Properties.read(from: &buffer, context: .publish) : Properties()
        if direction == .clientToServer && !properties.isEmpty { try properties.checkSentByClient() }
        // v5 lets a topic alias stand in for the topic name (spec 3.3.2.3.4).
        if !isValidName && !(topic.isEmpty && properties.topicAlias != nil) {
            do throws(TopicValidationError) { try Topic.validateName(topic) } catch { throw .invalidTopicName(error) }
        }
        let payload = buffer.readSlice(length: buffer.readableBytes)!
        return PublishPacket(
            topic: topic, payload: payload, qos: qos, retain: flags & 0x01 != 0, dup: dup, packetID: packetID,
            properties: properties)
    }
}
