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

    static func readBody(from buffer: inout ByteBuffer, flags: UInt8, version: MQTTVersion) throws(MQTTDecodeError) -> PublishPacket {
        let qosBits = (flags >> 1) & 0x03
        guard let qos = QoS(rawValue: qosBits) else { throw .invalidQoS(qosBits) }
        let dup = flags & 0x08 != 0
        if dup && qos == .atMostOnce { throw .duplicateFlagOnQoS0 }
        let topic = try buffer.readMQTTString()
        var packetID: UInt16?
        if qos != .atMostOnce {
            let id = try buffer.readMQTTUInt16()
            guard id != 0 else { throw .packetIdentifierZero }
            packetID = id
        }
        let properties = version == .v5 ? try Properties.read(from: &buffer, context: .publish) : Properties()
        // v5 lets a topic alias stand in for the topic name (spec 3.3.2.3.4).
        if !(topic.isEmpty && properties.topicAlias != nil) {
            do throws(TopicValidationError) { try Topic.validateName(topic) } catch { throw .invalidTopicName(error) }
        }
        let payload = buffer.readSlice(length: buffer.readableBytes)!
        return PublishPacket(
            topic: topic, payload: payload, qos: qos, retain: flags & 0x01 != 0, dup: dup, packetID: packetID,
            properties: properties)
    }
}
