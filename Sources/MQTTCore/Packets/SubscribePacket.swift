import NIOCore

/// Per-filter subscription options; 3.1.1 only uses `qos`.
public struct SubscriptionOptions: Sendable, Hashable {
    public var qos: QoS
    public var noLocal: Bool
    public var retainAsPublished: Bool
    public var retainHandling: RetainHandling

    public init(qos: QoS = .atMostOnce, noLocal: Bool = false, retainAsPublished: Bool = false, retainHandling: RetainHandling = .sendOnSubscribe) {
        self.qos = qos
        self.noLocal = noLocal
        self.retainAsPublished = retainAsPublished
        self.retainHandling = retainHandling
    }

    /// The options byte as mosquitto prints it in `-d` traces and as it goes on the wire.
    public func byte(version: MQTTVersion) -> UInt8 {
        guard version == .v5 else { return qos.rawValue }
        return qos.rawValue | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | (retainHandling.rawValue << 4)
    }

    init(byte: UInt8, version: MQTTVersion) throws(MQTTDecodeError) {
        let reservedMask: UInt8 = version == .v5 ? 0xC0 : 0xFC
        guard byte & reservedMask == 0 else { throw .invalidSubscriptionOptions(byte) }
        guard let qos = QoS(rawValue: byte & 0x03) else { throw .invalidQoS(byte & 0x03) }
        guard let handling = RetainHandling(rawValue: (byte >> 4) & 0x03) else { throw .invalidSubscriptionOptions(byte) }
        self.init(qos: qos, noLocal: byte & 0x04 != 0, retainAsPublished: byte & 0x08 != 0, retainHandling: handling)
    }
}

public struct Subscription: Sendable, Hashable {
    public var filter: String
    public var options: SubscriptionOptions

    public init(filter: String, options: SubscriptionOptions = SubscriptionOptions()) {
        self.filter = filter
        self.options = options
    }
}

/// SUBSCRIBE (spec 3.8).
public struct SubscribePacket: Sendable, Hashable {
    public var packetID: UInt16
    public var subscriptions: [Subscription]
    public var properties: Properties

    public init(packetID: UInt16, subscriptions: [Subscription], properties: Properties = []) {
        self.packetID = packetID
        self.subscriptions = subscriptions
        self.properties = properties
    }

    func bodyLength(version: MQTTVersion) -> Int {
        var length = 2 + (version == .v5 ? properties.encodedLengthWithPrefix() : 0)
        for subscription in subscriptions { length += 3 + subscription.filter.utf8.count }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        try buffer.writeMQTTPacketID(packetID, andProperties: properties, version: version)
        for subscription in subscriptions {
            try buffer.writeMQTTString(subscription.filter)
            buffer.writeInteger(subscription.options.byte(version: version))
        }
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion, direction: PacketDirection) throws(MQTTDecodeError) -> SubscribePacket {
        let (packetID, properties) = try buffer.readMQTTPacketIDAndProperties(version: version, context: .subscribe)
        var subscriptions: [Subscription] = []
        while buffer.readableBytes > 0 {
            let filter = try buffer.readMQTTTopicFilter(direction: direction)
            let options = try SubscriptionOptions(byte: try buffer.readMQTTByte(), version: version)
            subscriptions.append(Subscription(filter: filter, options: options))
        }
        guard !subscriptions.isEmpty else { throw .emptySubscribe }
        return SubscribePacket(packetID: packetID, subscriptions: subscriptions, properties: properties)
    }
}

/// SUBACK (spec 3.9): one code per requested filter, in order.
public struct SubAckPacket: Sendable, Hashable {
    public var packetID: UInt16
    public var reasonCodes: [ReasonCode]
    public var properties: Properties

    public init(packetID: UInt16, reasonCodes: [ReasonCode], properties: Properties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }

    func bodyLength(version: MQTTVersion) -> Int {
        2 + reasonCodes.count + (version == .v5 ? properties.encodedLengthWithPrefix() : 0)
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        try buffer.writeMQTTPacketID(packetID, andProperties: properties, version: version)
        for code in reasonCodes { buffer.writeInteger(code.rawValue) }
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTDecodeError) -> SubAckPacket {
        let (packetID, properties) = try buffer.readMQTTPacketIDAndProperties(version: version, context: .subAck)
        var codes: [ReasonCode] = []
        while buffer.readableBytes > 0 {
            let code = try buffer.readMQTTByte()
            let valid = version == .v5 ? AllowedReasonCodes.subAck.contains(code) : (code <= 2 || code == 0x80)
            guard valid else { throw .invalidReasonCode(code, .subAck) }
            codes.append(ReasonCode(rawValue: code))
        }
        guard !codes.isEmpty else { throw .truncated }
        return SubAckPacket(packetID: packetID, reasonCodes: codes, properties: properties)
    }
}
