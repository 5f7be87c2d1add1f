/// Why a packet could not be decoded. Each rule the decoder enforces has its own case so that
/// logs and tests can say exactly what was wrong; `reasonCode` is what a v5 peer is told.
public enum MQTTDecodeError: Error, Equatable, Sendable {
    /// A variable byte integer used a fifth byte.
    case malformedVariableByteInteger
    /// The remaining length announces a packet above the negotiated maximum; refused before buffering it.
    /// While the length is still arriving, `size` is the smallest packet its first bytes allow.
    case packetTooLarge(size: Int, maximum: Int)
    /// The packet ended before a field it announced.
    case truncated
    /// Bytes were left over after the last field of the packet.
    case trailingBytes(Int)
    /// Packet type 0, or 15 (AUTH) on a 3.1.1 connection.
    case invalidPacketType(UInt8)
    /// A packet that this side of the connection never receives (a client sending CONNACK, ...).
    case unexpectedPacketType(MQTTPacketType)
    /// Reserved bits of the fixed header were not the values the spec fixes.
    case invalidFixedHeaderFlags(MQTTPacketType, flags: UInt8)
    /// QoS 3 in a PUBLISH, a will or a subscription.
    case invalidQoS(UInt8)
    /// DUP set on a QoS 0 PUBLISH.
    case duplicateFlagOnQoS0
    /// Packet identifier 0 where one is required.
    case packetIdentifierZero
    /// A string with malformed UTF-8.
    case invalidUTF8
    /// A string with U+0000.
    case stringContainsNullCharacter
    /// A string with an encoded UTF-16 surrogate (U+D800...U+DFFF).
    case stringContainsSurrogate
    /// A client id, user name or topic (name or filter) with a control character, U+0001...U+001F or
    /// U+007F...U+009F. Only a broker refuses them, as mosquitto does; a client shows what its broker sends.
    case stringContainsControlCharacter
    /// A SUBSCRIBE without any topic filter.
    case emptySubscribe
    /// An UNSUBSCRIBE without any topic filter.
    case emptyUnsubscribe
    /// A PUBLISH topic name that is not valid (wildcards, empty without an alias, ...).
    case invalidTopicName(TopicValidationError)
    /// A SUBSCRIBE or UNSUBSCRIBE filter that is not valid.
    case invalidTopicFilter(TopicValidationError)
    /// CONNECT protocol name other than "MQTT" (or "MQIsdp", MQTT 3.1).
    case invalidProtocolName(String)
    /// CONNECT protocol level other than 4 or 5 after "MQTT", other than 3 after "MQIsdp".
    case unsupportedProtocolVersion(UInt8)
    /// CONNECT flags: the reserved bit, will fields without the will flag, a password without a user name (3.1.1).
    case invalidConnectFlags(UInt8)
    /// CONNACK flags other than session present.
    case invalidConnAckFlags(UInt8)
    /// Subscription options with reserved bits or retain handling 3.
    case invalidSubscriptionOptions(UInt8)
    /// A reason code that this packet type may not carry.
    case invalidReasonCode(UInt8, MQTTPacketType)
    /// A property identifier that does not exist.
    case unknownProperty(UInt8)
    /// A property that this packet (or the will) may not carry.
    case propertyNotAllowed(PropertyIdentifier, PropertyContext)
    /// A property that may appear at most once appeared again.
    case duplicateProperty(PropertyIdentifier)
    /// A property with a value the spec forbids (receive maximum 0, payload format 2, ...).
    case invalidPropertyValue(PropertyIdentifier)
    /// The property length runs past the end of the packet.
    case propertyLengthMismatch
    /// A PUBLISH from a client with a Subscription Identifier: only the server adds them (MQTT-3.3.4-6).
    case subscriptionIdentifierFromClient
    /// A client's PUBLISH or will with a Response Topic holding `+` or `#`: it is a topic name to publish
    /// the response to (MQTT-3.3.2-14). Refused from clients only, like `subscriptionIdentifierFromClient`.
    case wildcardInResponseTopic

    /// The v5 reason code that tells the peer why it is disconnected.
    public var reasonCode: ReasonCode {
        switch self {
        case .packetTooLarge: .packetTooLarge
        case .invalidTopicName: .topicNameInvalid
        case .invalidTopicFilter: .topicFilterInvalid
        case .unsupportedProtocolVersion: .unsupportedProtocolVersion
        case .unexpectedPacketType, .duplicateProperty, .propertyNotAllowed, .invalidPropertyValue, .packetIdentifierZero,
            .invalidReasonCode, .subscriptionIdentifierFromClient, .wildcardInResponseTopic:
            .protocolError
        default: .malformedPacket
        }
    }
}

extension MQTTDecodeError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformedVariableByteInteger: "malformed variable byte integer (more than 4 bytes)"
        case .packetTooLarge(let size, let maximum): "packet of \(size) bytes exceeds the maximum of \(maximum)"
        case .truncated: "packet ends before a field it announces"
        case .trailingBytes(let count): "\(count) unexpected bytes after the last field"
        case .invalidPacketType(let type): "invalid packet type \(type)"
        case .unexpectedPacketType(let type): "\(type) is not allowed in this direction"
        case .invalidFixedHeaderFlags(let type, let flags): "invalid fixed header flags 0x\(String(flags, radix: 16)) for \(type)"
        case .invalidQoS(let qos): "invalid QoS \(qos)"
        case .duplicateFlagOnQoS0: "DUP flag set on a QoS 0 PUBLISH"
        case .packetIdentifierZero: "packet identifier 0"
        case .invalidUTF8: "string is not valid UTF-8"
        case .stringContainsNullCharacter: "string contains U+0000"
        case .stringContainsSurrogate: "string contains a UTF-16 surrogate"
        case .stringContainsControlCharacter: "client id, user name or topic contains a control character"
        case .emptySubscribe: "SUBSCRIBE without topic filters"
        case .emptyUnsubscribe: "UNSUBSCRIBE without topic filters"
        case .invalidTopicName(let error): "invalid topic name: \(error)"
        case .invalidTopicFilter(let error): "invalid topic filter: \(error)"
        case .invalidProtocolName(let name): "invalid protocol name \"\(name)\""
        case .unsupportedProtocolVersion(let level): "unsupported protocol level \(level)"
        case .invalidConnectFlags(let flags): "invalid CONNECT flags 0x\(String(flags, radix: 16))"
        case .invalidConnAckFlags(let flags): "invalid CONNACK flags 0x\(String(flags, radix: 16))"
        case .invalidSubscriptionOptions(let options): "invalid subscription options 0x\(String(options, radix: 16))"
        case .invalidReasonCode(let code, let type): "reason code 0x\(String(code, radix: 16)) not allowed in \(type)"
        case .unknownProperty(let identifier): "unknown property 0x\(String(identifier, radix: 16))"
        case .propertyNotAllowed(let identifier, let context): "property \(identifier) not allowed in \(context)"
        case .duplicateProperty(let identifier): "property \(identifier) appears more than once"
        case .invalidPropertyValue(let identifier): "invalid value for property \(identifier)"
        case .propertyLengthMismatch: "property length does not match the properties"
        case .subscriptionIdentifierFromClient: "PUBLISH from a client carries a subscription identifier"
        case .wildcardInResponseTopic: "response topic contains a wildcard"
        }
    }
}

/// Why a packet could not be encoded.
public enum MQTTEncodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A string or binary field over 65 535 bytes.
    case stringTooLong(Int)
    /// The whole packet would exceed 268 435 455 bytes of remaining length.
    case packetTooLarge(Int)
    /// A packet that does not exist in this protocol version (AUTH in 3.1.1).
    case notInVersion(MQTTPacketType, MQTTVersion)

    public var description: String {
        switch self {
        case .stringTooLong(let length): "string of \(length) bytes exceeds 65535"
        case .packetTooLarge(let size): "packet of \(size) bytes exceeds the MQTT limit"
        case .notInVersion(let type, let version): "\(type) does not exist in MQTT \(version)"
        }
    }
}
