/// A v5 reason code (spec 2.4), also used for 3.1.1 CONNACK return codes and SUBACK results.
public struct ReasonCode: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let success = ReasonCode(rawValue: 0x00)
    public static let grantedQoS1 = ReasonCode(rawValue: 0x01)
    public static let grantedQoS2 = ReasonCode(rawValue: 0x02)
    public static let disconnectWithWill = ReasonCode(rawValue: 0x04)
    public static let noMatchingSubscribers = ReasonCode(rawValue: 0x10)
    public static let noSubscriptionExisted = ReasonCode(rawValue: 0x11)
    public static let continueAuthentication = ReasonCode(rawValue: 0x18)
    public static let reAuthenticate = ReasonCode(rawValue: 0x19)
    public static let unspecifiedError = ReasonCode(rawValue: 0x80)
    public static let malformedPacket = ReasonCode(rawValue: 0x81)
    public static let protocolError = ReasonCode(rawValue: 0x82)
    public static let implementationSpecificError = ReasonCode(rawValue: 0x83)
    public static let unsupportedProtocolVersion = ReasonCode(rawValue: 0x84)
    public static let clientIdentifierNotValid = ReasonCode(rawValue: 0x85)
    public static let badUserNameOrPassword = ReasonCode(rawValue: 0x86)
    public static let notAuthorized = ReasonCode(rawValue: 0x87)
    public static let serverUnavailable = ReasonCode(rawValue: 0x88)
    public static let serverBusy = ReasonCode(rawValue: 0x89)
    public static let banned = ReasonCode(rawValue: 0x8A)
    public static let serverShuttingDown = ReasonCode(rawValue: 0x8B)
    public static let badAuthenticationMethod = ReasonCode(rawValue: 0x8C)
    public static let keepAliveTimeout = ReasonCode(rawValue: 0x8D)
    public static let sessionTakenOver = ReasonCode(rawValue: 0x8E)
    public static let topicFilterInvalid = ReasonCode(rawValue: 0x8F)
    public static let topicNameInvalid = ReasonCode(rawValue: 0x90)
    public static let packetIdentifierInUse = ReasonCode(rawValue: 0x91)
    public static let packetIdentifierNotFound = ReasonCode(rawValue: 0x92)
    public static let receiveMaximumExceeded = ReasonCode(rawValue: 0x93)
    public static let topicAliasInvalid = ReasonCode(rawValue: 0x94)
    public static let packetTooLarge = ReasonCode(rawValue: 0x95)
    public static let messageRateTooHigh = ReasonCode(rawValue: 0x96)
    public static let quotaExceeded = ReasonCode(rawValue: 0x97)
    public static let administrativeAction = ReasonCode(rawValue: 0x98)
    public static let payloadFormatInvalid = ReasonCode(rawValue: 0x99)
    public static let retainNotSupported = ReasonCode(rawValue: 0x9A)
    public static let qosNotSupported = ReasonCode(rawValue: 0x9B)
    public static let useAnotherServer = ReasonCode(rawValue: 0x9C)
    public static let serverMoved = ReasonCode(rawValue: 0x9D)
    public static let sharedSubscriptionsNotSupported = ReasonCode(rawValue: 0x9E)
    public static let connectionRateExceeded = ReasonCode(rawValue: 0x9F)
    public static let maximumConnectTime = ReasonCode(rawValue: 0xA0)
    public static let subscriptionIdentifiersNotSupported = ReasonCode(rawValue: 0xA1)
    public static let wildcardSubscriptionsNotSupported = ReasonCode(rawValue: 0xA2)

    /// Codes from 0x80 up are failures (spec 2.4).
    public var isFailure: Bool { rawValue >= 0x80 }

    /// The spec's name for the code, as a user would read it in a log.
    public var name: String {
        switch rawValue {
        case 0x00: "Success"
        case 0x01: "Granted QoS 1"
        case 0x02: "Granted QoS 2"
        case 0x04: "Disconnect with Will Message"
        case 0x10: "No matching subscribers"
        case 0x11: "No subscription existed"
        case 0x18: "Continue authentication"
        case 0x19: "Re-authenticate"
        case 0x80: "Unspecified error"
        case 0x81: "Malformed Packet"
        case 0x82: "Protocol Error"
        case 0x83: "Implementation specific error"
        case 0x84: "Unsupported Protocol Version"
        case 0x85: "Client Identifier not valid"
        case 0x86: "Bad User Name or Password"
        case 0x87: "Not authorized"
        case 0x88: "Server unavailable"
        case 0x89: "Server busy"
        case 0x8A: "Banned"
        case 0x8B: "Server shutting down"
        case 0x8C: "Bad authentication method"
        case 0x8D: "Keep Alive timeout"
        case 0x8E: "Session taken over"
        case 0x8F: "Topic Filter invalid"
        case 0x90: "Topic Name invalid"
        case 0x91: "Packet Identifier in use"
        case 0x92: "Packet Identifier not found"
        case 0x93: "Receive Maximum exceeded"
        case 0x94: "Topic Alias invalid"
        case 0x95: "Packet too large"
        case 0x96: "Message rate too high"
        case 0x97: "Quota exceeded"
        case 0x98: "Administrative action"
        case 0x99: "Payload format invalid"
        case 0x9A: "Retain not supported"
        case 0x9B: "QoS not supported"
        case 0x9C: "Use another server"
        case 0x9D: "Server moved"
        case 0x9E: "Shared Subscriptions not supported"
        case 0x9F: "Connection rate exceeded"
        case 0xA0: "Maximum connect time"
        case 0xA1: "Subscription Identifiers not supported"
        case 0xA2: "Wildcard Subscriptions not supported"
        default: "Unknown reason code 0x\(String(rawValue, radix: 16))"
        }
    }
}

extension ReasonCode: CustomStringConvertible {
    public var description: String { "\(name) (0x\(String(rawValue, radix: 16, uppercase: false)))" }
}

/// The reason codes each packet type may carry (spec 3.x.2.1 tables), used to reject anything else.
enum AllowedReasonCodes {
    static let connAck: Set<UInt8> = [0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F]
    static let pubAckOrRec: Set<UInt8> = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]
    static let pubRelOrComp: Set<UInt8> = [0x00, 0x92]
    static let subAck: Set<UInt8> = [0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2]
    static let unsubAck: Set<UInt8> = [0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91]
    static let disconnect: Set<UInt8> = [0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2]
    static let auth: Set<UInt8> = [0x00, 0x18, 0x19]
}

/// 3.1.1 CONNACK return codes (spec 3.1.1 section 3.2.2.3), worded like mosquitto's clients.
public enum ConnectReturnCode {
    public static func description(_ code: UInt8) -> String {
        switch code {
        case 0: "Connection Accepted."
        case 1: "Connection Refused: unacceptable protocol version."
        case 2: "Connection Refused: identifier rejected."
        case 3: "Connection Refused: broker unavailable."
        case 4: "Connection Refused: bad user name or password."
        case 5: "Connection Refused: not authorised."
        default: "Connection Refused: unknown reason."
        }
    }
}
