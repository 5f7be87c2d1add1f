import NIOCore

/// A v5 property identifier (spec 2.2.2.2).
public enum PropertyIdentifier: UInt8, Sendable, Hashable, CustomStringConvertible {
    case payloadFormatIndicator = 0x01
    case messageExpiryInterval = 0x02
    case contentType = 0x03
    case responseTopic = 0x08
    case correlationData = 0x09
    case subscriptionIdentifier = 0x0B
    case sessionExpiryInterval = 0x11
    case assignedClientIdentifier = 0x12
    case serverKeepAlive = 0x13
    case authenticationMethod = 0x15
    case authenticationData = 0x16
    case requestProblemInformation = 0x17
    case willDelayInterval = 0x18
    case requestResponseInformation = 0x19
    case responseInformation = 0x1A
    case serverReference = 0x1C
    case reasonString = 0x1F
    case receiveMaximum = 0x21
    case topicAliasMaximum = 0x22
    case topicAlias = 0x23
    case maximumQoS = 0x24
    case retainAvailable = 0x25
    case userProperty = 0x26
    case maximumPacketSize = 0x27
    case wildcardSubscriptionAvailable = 0x28
    case subscriptionIdentifierAvailable = 0x29
    case sharedSubscriptionAvailable = 0x2A

    public var description: String { "\(self.name) (0x\(String(rawValue, radix: 16)))" }

    /// The name mosquitto uses for it (`-D` and `%j`), e.g. "content-type".
    public var name: String {
        switch self {
        case .payloadFormatIndicator: "payload-format-indicator"
        case .messageExpiryInterval: "message-expiry-interval"
        case .contentType: "content-type"
        case .responseTopic: "response-topic"
        case .correlationData: "correlation-data"
        case .subscriptionIdentifier: "subscription-identifier"
        case .sessionExpiryInterval: "session-expiry-interval"
        case .assignedClientIdentifier: "assigned-client-identifier"
        case .serverKeepAlive: "server-keep-alive"
        case .authenticationMethod: "authentication-method"
        case .authenticationData: "authentication-data"
        case .requestProblemInformation: "request-problem-information"
        case .willDelayInterval: "will-delay-interval"
        case .requestResponseInformation: "request-response-information"
        case .responseInformation: "response-information"
        case .serverReference: "server-reference"
        case .reasonString: "reason-string"
        case .receiveMaximum: "receive-maximum"
        case .topicAliasMaximum: "topic-alias-maximum"
        case .topicAlias: "topic-alias"
        case .maximumQoS: "maximum-qos"
        case .retainAvailable: "retain-available"
        case .userProperty: "user-property"
        case .maximumPacketSize: "maximum-packet-size"
        case .wildcardSubscriptionAvailable: "wildcard-subscription-available"
        case .subscriptionIdentifierAvailable: "subscription-identifier-available"
        case .sharedSubscriptionAvailable: "shared-subscription-available"
        }
    }

    /// Where the spec lets this property appear, as a set, for callers outside the decoder
    /// (the CLI checks `-D` properties with it). Derived from `isAllowed(in:)`, the one table.
    public var allowedContexts: Set<PropertyContext> {
        Set(PropertyContext.allCases.filter { isAllowed(in: $0) })
    }

    /// Where the spec lets this property appear (spec 2.2.2.2 table). A switch rather than a Set,
    /// because it runs for every decoded property and must not allocate.
    func isAllowed(in context: PropertyContext) -> Bool {
        switch self {
        case .payloadFormatIndicator, .messageExpiryInterval, .contentType, .responseTopic, .correlationData:
            context == .publish || context == .will
        case .subscriptionIdentifier: context == .publish || context == .subscribe
        case .sessionExpiryInterval: context == .connect || context == .connAck || context == .disconnect
        case .assignedClientIdentifier, .serverKeepAlive, .responseInformation, .maximumQoS, .retainAvailable,
            .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable, .sharedSubscriptionAvailable:
            context == .connAck
        case .authenticationMethod, .authenticationData: context == .connect || context == .connAck || context == .auth
        case .requestProblemInformation, .requestResponseInformation: context == .connect
        case .willDelayInterval: context == .will
        case .serverReference: context == .connAck || context == .disconnect
        case .reasonString:
            switch context {
            case .connAck, .pubAck, .pubRec, .pubRel, .pubComp, .subAck, .unsubAck, .disconnect, .auth: true
            case .connect, .will, .publish, .subscribe, .unsubscribe: false
            }
        case .receiveMaximum, .topicAliasMaximum, .maximumPacketSize: context == .connect || context == .connAck
        case .topicAlias: context == .publish
        case .userProperty: true
        }
    }

    /// User properties repeat freely; a PUBLISH may carry several subscription identifiers (one per match).
    public func mayRepeat(in context: PropertyContext) -> Bool {
        self == .userProperty || (self == .subscriptionIdentifier && context == .publish)
    }
}

/// The place a property list sits in, which decides the properties it may hold. Raw values are the packet
/// types' (`MQTTPacketType`), so each context is named after its packet; a will's list (in CONNECT's
/// payload) has none.
public enum PropertyContext: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case will = 0
    case connect = 1, connAck, publish, pubAck, pubRec, pubRel, pubComp, subscribe, subAck, unsubscribe, unsubAck
    case disconnect = 14, auth

    public var description: String { MQTTPacketType(rawValue: rawValue)?.description ?? "will properties" }
}

/// One v5 property with its value.
public enum Property: Sendable, Hashable {
    case payloadFormatIndicator(UInt8)
    case messageExpiryInterval(UInt32)
    case contentType(String)
    case responseTopic(String)
    case correlationData(ByteBuffer)
    case subscriptionIdentifier(Int)
    case sessionExpiryInterval(UInt32)
    case assignedClientIdentifier(String)
    case serverKeepAlive(UInt16)
    case authenticationMethod(String)
    case authenticationData(ByteBuffer)
    case requestProblemInformation(UInt8)
    case willDelayInterval(UInt32)
    case requestResponseInformation(UInt8)
    case responseInformation(String)
    case serverReference(String)
    case reasonString(String)
    case receiveMaximum(UInt16)
    case topicAliasMaximum(UInt16)
    case topicAlias(UInt16)
    case maximumQoS(UInt8)
    case retainAvailable(UInt8)
    case userProperty(String, String)
    case maximumPacketSize(UInt32)
    case wildcardSubscriptionAvailable(UInt8)
    case subscriptionIdentifierAvailable(UInt8)
    case sharedSubscriptionAvailable(UInt8)

    public var identifier: PropertyIdentifier {
        switch self {
        case .payloadFormatIndicator: .payloadFormatIndicator
        case .messageExpiryInterval: .messageExpiryInterval
        case .contentType: .contentType
        case .responseTopic: .responseTopic
        case .correlationData: .correlationData
        case .subscriptionIdentifier: .subscriptionIdentifier
        case .sessionExpiryInterval: .sessionExpiryInterval
        case .assignedClientIdentifier: .assignedClientIdentifier
        case .serverKeepAlive: .serverKeepAlive
        case .authenticationMethod: .authenticationMethod
        case .authenticationData: .authenticationData
        case .requestProblemInformation: .requestProblemInformation
        case .willDelayInterval: .willDelayInterval
        case .requestResponseInformation: .requestResponseInformation
        case .responseInformation: .responseInformation
        case .serverReference: .serverReference
        case .reasonString: .reasonString
        case .receiveMaximum: .receiveMaximum
        case .topicAliasMaximum: .topicAliasMaximum
        case .topicAlias: .topicAlias
        case .maximumQoS: .maximumQoS
        case .retainAvailable: .retainAvailable
        case .userProperty: .userProperty
        case .maximumPacketSize: .maximumPacketSize
        case .wildcardSubscriptionAvailable: .wildcardSubscriptionAvailable
        case .subscriptionIdentifierAvailable: .subscriptionIdentifierAvailable
        case .sharedSubscriptionAvailable: .sharedSubscriptionAvailable
        }
    }

    /// Values the spec rules out even though they fit the field's type.
    public var hasValidValue: Bool {
        switch self {
        case .payloadFormatIndicator(let value), .requestProblemInformation(let value),
            .requestResponseInformation(let value), .maximumQoS(let value), .retainAvailable(let value),
            .wildcardSubscriptionAvailable(let value), .subscriptionIdentifierAvailable(let value),
            .sharedSubscriptionAvailable(let value):
            value <= 1
        case .receiveMaximum(let value), .topicAlias(let value): value != 0
        case .maximumPacketSize(let value): value != 0
        case .subscriptionIdentifier(let value): value >= 1 && value <= maximumVariableByteInteger
        default: true
        }
    }
}
