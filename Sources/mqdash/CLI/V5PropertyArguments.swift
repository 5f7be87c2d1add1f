import ArgumentParser
import MQTTCore
import NIOCore

/// mosquitto's `-D command identifier value` v5 properties, sorted by the packet they go in.
/// ArgumentParser collects every `-D` value into one list; the arity of each identifier splits it again.
struct V5PropertyArguments {
    var connect = Properties()
    var publish = Properties()
    var subscribe = Properties()
    var unsubscribe = Properties()
    var disconnect = Properties()
    var will = Properties()

    init(parsing values: [String], version: MQTTVersion) throws {
        // With -V mqttv311 given explicitly, mosquitto ignores -D; so do we, after checking them.
        var rest = values[...]
        while let command = rest.popFirst() {
            guard let name = rest.popFirst() else { throw ValidationError("-D \(command): missing property identifier.") }
            guard let value = rest.popFirst() else { throw ValidationError("-D \(command) \(name): missing value.") }
            let property: Property
            if name == "user-property" {
                guard let second = rest.popFirst() else { throw ValidationError("-D \(command) user-property: needs a name and a value.") }
                property = .userProperty(value, second)
            } else {
                property = try Self.property(named: name, value: value)
            }
            guard let (context, list) = Self.command(command) else {
                throw ValidationError("-D: unknown command '\(command)' (connect, publish, subscribe, unsubscribe, disconnect, will).")
            }
            // Only a broker puts subscription identifiers in a PUBLISH (spec 3.3.4).
            let brokerOnly = context == .publish && property.identifier == .subscriptionIdentifier
            guard property.identifier.allowedContexts.contains(context), !brokerOnly else {
                throw ValidationError("-D: property '\(name)' is not allowed with '\(command)'.")
            }
            // What the broker would refuse is refused here, with the flag to blame (spec 2.2.2.2).
            guard property.hasValidValue else { throw ValidationError("-D \(name): '\(value)' is not a valid value.") }
            if !property.identifier.mayRepeat(in: context), self[keyPath: list].contains(where: { $0.identifier == property.identifier }) {
                throw ValidationError("-D \(command) \(name): given more than once.")
            }
            self[keyPath: list].append(property)
        }
    }

    /// A `-D` command word of mosquitto's: the packet its properties go in, and the list here that keeps them.
    private static func command(_ word: String) -> (PropertyContext, WritableKeyPath<V5PropertyArguments, Properties>)? {
        switch word {
        case "connect": (.connect, \.connect)
        case "publish": (.publish, \.publish)
        case "subscribe": (.subscribe, \.subscribe)
        case "unsubscribe": (.unsubscribe, \.unsubscribe)
        case "disconnect": (.disconnect, \.disconnect)
        case "will": (.will, \.will)
        default: nil
        }
    }

    private static func property(named name: String, value: String) throws -> Property {
        func number<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard let number = T(value) else { throw ValidationError("-D \(name): '\(value)' is not a valid number.") }
            return number
        }
        switch name {
        case "content-type": return .contentType(value)
        case "response-topic": return .responseTopic(value)
        case "correlation-data": return .correlationData(ByteBuffer(string: value))
        case "payload-format-indicator": return .payloadFormatIndicator(try number(UInt8.self))
        case "message-expiry-interval": return .messageExpiryInterval(try number(UInt32.self))
        case "topic-alias": return .topicAlias(try number(UInt16.self))
        case "session-expiry-interval": return .sessionExpiryInterval(try number(UInt32.self))
        case "receive-maximum": return .receiveMaximum(try number(UInt16.self))
        case "maximum-packet-size": return .maximumPacketSize(try number(UInt32.self))
        case "topic-alias-maximum": return .topicAliasMaximum(try number(UInt16.self))
        case "request-problem-information": return .requestProblemInformation(try number(UInt8.self))
        case "request-response-information": return .requestResponseInformation(try number(UInt8.self))
        case "will-delay-interval": return .willDelayInterval(try number(UInt32.self))
        case "subscription-identifier": return .subscriptionIdentifier(try number(Int.self))
        case "authentication-method": return .authenticationMethod(value)
        case "reason-string": return .reasonString(value)
        default: throw ValidationError("-D: unknown property '\(name)'.")
        }
    }
}
