import MQTTCore
import NIOCore

/// One message of a recording: what was received, when, with the v5 properties a replay needs to send it again.
/// Subscription identifiers and topic aliases are left out on purpose: they belong to the recorder's
/// connection, not to the message.
public struct RecordedMessage: Sendable, Hashable {
    public struct UserProperty: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    public var time: RecordTimestamp
    public var topic: String
    public var payload: [UInt8]
    public var qos: UInt8
    public var retain: Bool
    public var userProperties: [UserProperty]
    public var contentType: String?
    public var responseTopic: String?
    public var correlationData: [UInt8]?
    public var messageExpiry: UInt32?
    public var payloadFormat: UInt8?

    public init(
        time: RecordTimestamp, topic: String, payload: [UInt8], qos: UInt8 = 0, retain: Bool = false,
        userProperties: [UserProperty] = [], contentType: String? = nil, responseTopic: String? = nil,
        correlationData: [UInt8]? = nil, messageExpiry: UInt32? = nil, payloadFormat: UInt8? = nil
    ) {
        self.time = time
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.userProperties = userProperties
        self.contentType = contentType
        self.responseTopic = responseTopic
        self.correlationData = correlationData
        self.messageExpiry = messageExpiry
        self.payloadFormat = payloadFormat
    }

    /// A received PUBLISH as it will be written.
    public init(_ packet: PublishPacket, time: RecordTimestamp) {
        let properties = packet.properties
        self.init(
            time: time, topic: packet.topic,
            payload: packet.payload.getBytes(at: packet.payload.readerIndex, length: packet.payload.readableBytes) ?? [],
            qos: packet.qos.rawValue, retain: packet.retain,
            userProperties: properties.userProperties.map { UserProperty($0.key, $0.value) },
            contentType: properties.contentType, responseTopic: properties.responseTopic,
            correlationData: properties.correlationData.map { $0.getBytes(at: $0.readerIndex, length: $0.readableBytes) ?? [] },
            messageExpiry: properties.messageExpiryInterval, payloadFormat: properties.payloadFormatIndicator)
    }

    /// The v5 properties to publish it with (ignored by a 3.1.1 connection).
    public var properties: Properties {
        var properties = Properties()
        if let payloadFormat { properties.append(.payloadFormatIndicator(payloadFormat)) }
        if let messageExpiry { properties.append(.messageExpiryInterval(messageExpiry)) }
        if let contentType { properties.append(.contentType(contentType)) }
        if let responseTopic { properties.append(.responseTopic(responseTopic)) }
        if let correlationData { properties.append(.correlationData(ByteBuffer(bytes: correlationData))) }
        for property in userProperties { properties.append(.userProperty(property.key, property.value)) }
        return properties
    }
}
