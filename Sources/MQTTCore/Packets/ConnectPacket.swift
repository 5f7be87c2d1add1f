import NIOCore

/// The message a broker publishes for a client that goes away without DISCONNECT.
public struct Will: Sendable, Hashable {
    public var topic: String
    public var payload: ByteBuffer
    public var qos: QoS
    public var retain: Bool
    /// v5 will properties (will delay, message expiry, content type, ...).
    public var properties: Properties

    public init(topic: String, payload: ByteBuffer, qos: QoS = .atMostOnce, retain: Bool = false, properties: Properties = []) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.properties = properties
    }
}

/// CONNECT (spec 3.1).
public struct ConnectPacket: Sendable, Hashable {
    public var version: MQTTVersion
    public var clientID: String
    /// Clean session (3.1.1) or clean start (5.0).
    public var cleanStart: Bool
    public var keepAlive: UInt16
    public var username: String?
    public var password: ByteBuffer?
    public var will: Will?
    public var properties: Properties
    /// The client spoke MQTT 3.1 (protocol name "MQIsdp", level 3). `version` is then `.v3_1_1`: 3.1.1 only
    /// clarified 3.1, so a broker applies its rules after CONNECT, as mosquitto does. Our client never sets it.
    public var isMQTT31: Bool
    /// The client is another broker's bridge: mosquitto's `try_private` sets the top bit of the protocol
    /// level (0x84 for 3.1.1), and a broker that knows it never sends such a client its own messages back.
    public var isBridge: Bool

    public init(
        version: MQTTVersion, clientID: String, cleanStart: Bool = true, keepAlive: UInt16 = 60,
        username: String? = nil, password: ByteBuffer? = nil, will: Will? = nil, properties: Properties = [],
        isMQTT31: Bool = false, isBridge: Bool = false
    ) {
        self.isMQTT31 = isMQTT31 && version == .v3_1_1
        self.isBridge = isBridge
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.will = will
        self.properties = properties
    }

    private static let protocolName = "MQTT"
    private static let mqtt31ProtocolName = "MQIsdp"
    private static let mqtt31Level: UInt8 = 3
    private static let bridgeBit: UInt8 = 0x80

    private enum Flag {
        static let reserved: UInt8 = 0x01
        static let cleanStart: UInt8 = 0x02
        static let will: UInt8 = 0x04
        static let willQoSShift: UInt8 = 3
        static let willRetain: UInt8 = 0x20
        static let password: UInt8 = 0x40
        static let username: UInt8 = 0x80
    }

    var flags: UInt8 {
        var flags: UInt8 = cleanStart ? Flag.cleanStart : 0
        if let will {
            flags |= Flag.will | (will.qos.rawValue << Flag.willQoSShift)
            if will.retain { flags |= Flag.willRetain }
        }
        if username != nil { flags |= Flag.username }
        if password != nil { flags |= Flag.password }
        return flags
    }

    func bodyLength() -> Int {
        let name = isMQTT31 ? Self.mqtt31ProtocolName : Self.protocolName
        var length = 2 + name.utf8.count + 1 + 1 + 2 + 2 + clientID.utf8.count
        if version == .v5 { length += properties.encodedLengthWithPrefix() }
        if let will {
            if version == .v5 { length += will.properties.encodedLengthWithPrefix() }
            length += 2 + will.topic.utf8.count + 2 + will.payload.readableBytes
        }
        if let username { length += 2 + username.utf8.count }
        if let password { length += 2 + password.readableBytes }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer) throws(MQTTEncodeError) {
        try buffer.writeMQTTString(isMQTT31 ? Self.mqtt31ProtocolName : Self.protocolName)
        buffer.writeInteger((isMQTT31 ? Self.mqtt31Level : version.rawValue) | (isBridge ? Self.bridgeBit : 0))
        buffer.writeInteger(flags)
        buffer.writeInteger(keepAlive)
        if version == .v5 { try properties.write(into: &buffer) }
        try buffer.writeMQTTString(clientID)
        if let will {
            if version == .v5 { try will.properties.write(into: &buffer) }
            try buffer.writeMQTTString(will.topic)
            try buffer.writeMQTTBinary(will.payload)
        }
        if let username { try buffer.writeMQTTString(username) }
        if let password { try buffer.writeMQTTBinary(password) }
    }

    static func readBody(from buffer: inout ByteBuffer, direction: PacketDirection) throws(MQTTDecodeError) -> ConnectPacket {
        let protocolName = try buffer.readMQTTString()
        guard protocolName == Self.protocolName || protocolName == Self.mqtt31ProtocolName else {
            throw .invalidProtocolName(protocolName)
        }
        let levelByte = try buffer.readMQTTByte()
        let isBridge = levelByte & Self.bridgeBit != 0
        let level = levelByte & ~Self.bridgeBit
        let isMQTT31 = protocolName == Self.mqtt31ProtocolName
        // A known name with a level it does not go with is an unsupported version (CONNACK 1), as in mosquitto.
        let known: MQTTVersion? = isMQTT31 ? (level == Self.mqtt31Level ? .v3_1_1 : nil) : MQTTVersion(rawValue: level)
        guard let version = known else { throw .unsupportedProtocolVersion(levelByte) }
        let refusesControl = direction.refusesControlCharacters
        let flags = try buffer.readMQTTByte()
        let hasWill = flags & Flag.will != 0
        let willQoSBits = (flags >> Flag.willQoSShift) & 0x03
        let hasUsername = flags & Flag.username != 0
        let hasPassword = flags & Flag.password != 0
        guard flags & Flag.reserved == 0 else { throw .invalidConnectFlags(flags) }
        if !hasWill && (willQoSBits != 0 || flags & Flag.willRetain != 0) { throw .invalidConnectFlags(flags) }
        if version == .v3_1_1 && hasPassword && !hasUsername { throw .invalidConnectFlags(flags) }
        guard let willQoS = QoS(rawValue: willQoSBits) else { throw .invalidQoS(willQoSBits) }

        let keepAlive = try buffer.readMQTTUInt16()
        let properties = version == .v5 ? try Properties.read(from: &buffer, context: .connect) : Properties()
        let clientID = try buffer.readMQTTString(refusingControlCharacters: refusesControl)
        var will: Will?
        if hasWill {
            let willProperties = version == .v5 ? try Properties.read(from: &buffer, context: .will) : Properties()
            if direction == .clientToServer && !willProperties.isEmpty { try willProperties.checkSentByClient() }
            let (topic, isValidName) = try buffer.readMQTTTopicName(refusingControlCharacters: refusesControl)
            if !isValidName {
                do throws(TopicValidationError) { try Topic.validateName(topic) } catch { throw .invalidTopicName(error) }
            }
            let payload = try buffer.readMQTTBinary()
            will = Will(topic: topic, payload: payload, qos: willQoS, retain: flags & Flag.willRetain != 0, properties: willProperties)
        }
        let username = hasUsername ? try buffer.readMQTTString(refusingControlCharacters: refusesControl) : nil
        let password = hasPassword ? try buffer.readMQTTBinary() : nil
        return ConnectPacket(
            version: version, clientID: clientID, cleanStart: flags & Flag.cleanStart != 0, keepAlive: keepAlive,
            username: username, password: password, will: will, properties: properties, isMQTT31: isMQTT31,
            isBridge: isBridge)
    }
}

/// CONNACK (spec 3.2). `reasonCode` holds the 3.1.1 return code (0...5) on a 3.1.1 connection.
public struct ConnAckPacket: Sendable, Hashable {
    public var sessionPresent: Bool
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(sessionPresent: Bool = false, reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.sessionPresent = sessionPresent
        self.reasonCode = reasonCode
        self.properties = properties
    }

    /// What the code means, in the wording of the protocol version in use.
    public func reasonDescription(version: MQTTVersion) -> String {
        version == .v5 ? reasonCode.name : ConnectReturnCode.description(reasonCode.rawValue)
    }

    func bodyLength(version: MQTTVersion) -> Int {
        2 + (version == .v5 ? properties.encodedLengthWithPrefix() : 0)
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        buffer.writeInteger(UInt8(sessionPresent ? 1 : 0))
        buffer.writeInteger(reasonCode.rawValue)
        if version == .v5 { try properties.write(into: &buffer) }
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTDecodeError) -> ConnAckPacket {
        let flags = try buffer.readMQTTByte()
        guard flags & 0xFE == 0 else { throw .invalidConnAckFlags(flags) }
        let code = try buffer.readMQTTByte()
        let valid = version == .v5 ? AllowedReasonCodes.connAck.contains(code) : code <= 5
        guard valid else { throw .invalidReasonCode(code, .connAck) }
        let properties = version == .v5 ? try Properties.read(from: &buffer, context: .connAck) : Properties()
        return ConnAckPacket(sessionPresent: flags & 1 != 0, reasonCode: ReasonCode(rawValue: code), properties: properties)
    }
}
