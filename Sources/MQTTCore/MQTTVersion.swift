/// The protocol level carried in CONNECT.
public enum MQTTVersion: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// MQTT 3.1.1, protocol level 4.
    case v3_1_1 = 4
    /// MQTT 5.0, protocol level 5.
    case v5 = 5

    public var description: String {
        switch self {
        case .v3_1_1: "3.1.1"
        case .v5: "5.0"
        }
    }
}

/// Quality of service of a PUBLISH or a subscription.
public enum QoS: UInt8, Sendable, Hashable, Comparable, CustomStringConvertible {
    case atMostOnce = 0
    case atLeastOnce = 1
    case exactlyOnce = 2

    public static func < (lhs: QoS, rhs: QoS) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}

/// v5 subscription option: when retained messages are sent for a new subscription.
public enum RetainHandling: UInt8, Sendable, Hashable {
    /// Send retained messages on every subscribe.
    case sendOnSubscribe = 0
    /// Send them only when the subscription did not exist before.
    case sendOnNewSubscribe = 1
    /// Never send retained messages for this subscription.
    case doNotSend = 2
}
