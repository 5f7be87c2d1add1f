import NIOCore

/// An ordered v5 property list. Order is kept because user properties are ordered and may repeat.
public struct Properties: Sendable, Hashable, ExpressibleByArrayLiteral, RandomAccessCollection {
    public var items: [Property]

    public init(_ items: [Property] = []) { self.items = items }
    public init(arrayLiteral elements: Property...) { self.items = elements }

    public var startIndex: Int { items.startIndex }
    public var endIndex: Int { items.endIndex }
    public subscript(position: Int) -> Property { items[position] }

    public mutating func append(_ property: Property) { items.append(property) }

    /// User properties in order, duplicates kept.
    public var userProperties: [(key: String, value: String)] {
        items.compactMap { if case .userProperty(let key, let value) = $0 { (key, value) } else { nil } }
    }

    public var subscriptionIdentifiers: [Int] {
        items.compactMap { if case .subscriptionIdentifier(let value) = $0 { value } else { nil } }
    }

    public var contentType: String? { first { if case .contentType(let v) = $0 { v } else { nil } } }
    public var responseTopic: String? { first { if case .responseTopic(let v) = $0 { v } else { nil } } }
    public var correlationData: ByteBuffer? { first { if case .correlationData(let v) = $0 { v } else { nil } } }
    public var payloadFormatIndicator: UInt8? { first { if case .payloadFormatIndicator(let v) = $0 { v } else { nil } } }
    public var messageExpiryInterval: UInt32? { first { if case .messageExpiryInterval(let v) = $0 { v } else { nil } } }
    public var sessionExpiryInterval: UInt32? { first { if case .sessionExpiryInterval(let v) = $0 { v } else { nil } } }
    public var assignedClientIdentifier: String? { first { if case .assignedClientIdentifier(let v) = $0 { v } else { nil } } }
    public var serverKeepAlive: UInt16? { first { if case .serverKeepAlive(let v) = $0 { v } else { nil } } }
    public var reasonString: String? { first { if case .reasonString(let v) = $0 { v } else { nil } } }
    public var receiveMaximum: UInt16? { first { if case .receiveMaximum(let v) = $0 { v } else { nil } } }
    public var topicAliasMaximum: UInt16? { first { if case .topicAliasMaximum(let v) = $0 { v } else { nil } } }
    public var topicAlias: UInt16? { first { if case .topicAlias(let v) = $0 { v } else { nil } } }
    public var maximumQoS: UInt8? { first { if case .maximumQoS(let v) = $0 { v } else { nil } } }
    public var retainAvailable: UInt8? { first { if case .retainAvailable(let v) = $0 { v } else { nil } } }
    public var maximumPacketSize: UInt32? { first { if case .maximumPacketSize(let v) = $0 { v } else { nil } } }
    public var willDelayInterval: UInt32? { first { if case .willDelayInterval(let v) = $0 { v } else { nil } } }
    public var serverReference: String? { first { if case .serverReference(let v) = $0 { v } else { nil } } }
    public var authenticationMethod: String? { first { if case .authenticationMethod(let v) = $0 { v } else { nil } } }

    private func first<T>(_ extract: (Property) -> T?) -> T? {
        for item in items { if let value = extract(item) { return value } }
        return nil
    }
}

extension Properties {
    /// Bytes the property list takes without its length prefix.
    func encodedLength() -> Int {
        var length = 0
        for property in items {
            length += 1
            switch property {
            case .payloadFormatIndicator, .requestProblemInformation, .requestResponseInformation, .maximumQoS,
                .retainAvailable, .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable,
                .sharedSubscriptionAvailable:
                length += 1
            case .serverKeepAlive, .receiveMaximum, .topicAliasMaximum, .topicAlias:
                length += 2
            case .messageExpiryInterval, .sessionExpiryInterval, .willDelayInterval, .maximumPacketSize:
                length += 4
            case .contentType(let s), .responseTopic(let s), .assignedClientIdentifier(let s),
                .authenticationMethod(let s), .responseInformation(let s), .serverReference(let s),
                .reasonString(let s):
                length += 2 + s.utf8.count
            case .correlationData(let b), .authenticationData(let b):
                length += 2 + b.readableBytes
            case .subscriptionIdentifier(let value):
                length += variableByteIntegerSize(value)
            case .userProperty(let key, let value):
                length += 4 + key.utf8.count + value.utf8.count
            }
        }
        return length
    }

    /// Bytes including the variable-byte-integer length prefix.
    func encodedLengthWithPrefix() -> Int {
        let length = encodedLength()
        return variableByteIntegerSize(length) + length
    }

    func write(into buffer: inout ByteBuffer) throws(MQTTEncodeError) {
        buffer.writeVariableByteInteger(encodedLength())
        for property in items {
            buffer.writeInteger(property.identifier.rawValue)
            switch property {
            case .payloadFormatIndicator(let v), .requestProblemInformation(let v), .requestResponseInformation(let v),
                .maximumQoS(let v), .retainAvailable(let v), .wildcardSubscriptionAvailable(let v),
                .subscriptionIdentifierAvailable(let v), .sharedSubscriptionAvailable(let v):
                buffer.writeInteger(v)
            case .serverKeepAlive(let v), .receiveMaximum(let v), .topicAliasMaximum(let v), .topicAlias(let v):
                buffer.writeInteger(v)
            case .messageExpiryInterval(let v), .sessionExpiryInterval(let v), .willDelayInterval(let v),
                .maximumPacketSize(let v):
                buffer.writeInteger(v)
            case .contentType(let s), .responseTopic(let s), .assignedClientIdentifier(let s),
                .authenticationMethod(let s), .responseInformation(let s), .serverReference(let s),
                .reasonString(let s):
                try buffer.writeMQTTString(s)
            case .correlationData(let b), .authenticationData(let b):
                try buffer.writeMQTTBinary(b)
            case .subscriptionIdentifier(let value):
                buffer.writeVariableByteInteger(value)
            case .userProperty(let key, let value):
                try buffer.writeMQTTString(key)
                try buffer.writeMQTTString(value)
            }
        }
    }

    /// Rules for the properties of a client's PUBLISH or will. Only a broker enforces them: a client that
    /// refused what a lax broker forwards (mosquitto 2.0.11 forwards both) could be knocked off by any publisher.
    func checkSentByClient() throws(MQTTDecodeError) {
        for property in items {
            switch property {
            // A server adds one per matching subscription; a client has none to give (MQTT-3.3.4-6).
            case .subscriptionIdentifier: throw .subscriptionIdentifierFromClient
            // The response is published to it, so it is a topic name (MQTT-3.3.2-14).
            case .responseTopic(let topic) where Topic.containsWildcard(topic): throw .wildcardInResponseTopic
            default: continue
            }
        }
    }

    /// Reads a length-prefixed property list and checks each property against `context`;
    /// a nil context (stored lists) accepts every property and repetition.
    static func read(from buffer: inout ByteBuffer, context: PropertyContext?) throws(MQTTDecodeError) -> Properties {
        guard let length = try buffer.readVariableByteInteger() else { throw .truncated }
        if length == 0 { return Properties() }
        guard var slice = buffer.readSlice(length: length) else { throw .propertyLengthMismatch }
        var properties = Properties()
        // Identifiers are below 64, so a bit mask tracks the ones seen without allocating a Set.
        var seen: UInt64 = 0
        while slice.readableBytes > 0 {
            let rawIdentifier = try slice.readMQTTByte()
            guard let identifier = PropertyIdentifier(rawValue: rawIdentifier) else { throw .unknownProperty(rawIdentifier) }
            if let context {
                guard identifier.isAllowed(in: context) else { throw .propertyNotAllowed(identifier, context) }
            }
            if let context, !identifier.mayRepeat(in: context) {
                let bit: UInt64 = 1 << identifier.rawValue
                guard seen & bit == 0 else { throw .duplicateProperty(identifier) }
                seen |= bit
            }
            let property = try readValue(of: identifier, from: &slice)
            guard property.hasValidValue else { throw .invalidPropertyValue(identifier) }
            properties.append(property)
        }
        return properties
    }

    private static func readValue(of identifier: PropertyIdentifier, from buffer: inout ByteBuffer) throws(MQTTDecodeError) -> Property {
        // Inside the property slice, running out of bytes means the declared length was wrong.
        do throws(MQTTDecodeError) {
            switch identifier {
            case .payloadFormatIndicator: return .payloadFormatIndicator(try buffer.readMQTTByte())
            case .messageExpiryInterval: return .messageExpiryInterval(try buffer.readMQTTUInt32())
            case .contentType: return .contentType(try buffer.readMQTTString())
            case .responseTopic: return .responseTopic(try buffer.readMQTTString())
            case .correlationData: return .correlationData(try buffer.readMQTTBinary())
            case .subscriptionIdentifier:
                guard let value = try buffer.readVariableByteInteger() else { throw MQTTDecodeError.truncated }
                return .subscriptionIdentifier(value)
            case .sessionExpiryInterval: return .sessionExpiryInterval(try buffer.readMQTTUInt32())
            case .assignedClientIdentifier: return .assignedClientIdentifier(try buffer.readMQTTString())
            case .serverKeepAlive: return .serverKeepAlive(try buffer.readMQTTUInt16())
            case .authenticationMethod: return .authenticationMethod(try buffer.readMQTTString())
            case .authenticationData: return .authenticationData(try buffer.readMQTTBinary())
            case .requestProblemInformation: return .requestProblemInformation(try buffer.readMQTTByte())
            case .willDelayInterval: return .willDelayInterval(try buffer.readMQTTUInt32())
            case .requestResponseInformation: return .requestResponseInformation(try buffer.readMQTTByte())
            case .responseInformation: return .responseInformation(try buffer.readMQTTString())
            case .serverReference: return .serverReference(try buffer.readMQTTString())
            case .reasonString: return .reasonString(try buffer.readMQTTString())
            case .receiveMaximum: return .receiveMaximum(try buffer.readMQTTUInt16())
            case .topicAliasMaximum: return .topicAliasMaximum(try buffer.readMQTTUInt16())
            case .topicAlias: return .topicAlias(try buffer.readMQTTUInt16())
            case .maximumQoS: return .maximumQoS(try buffer.readMQTTByte())
            case .retainAvailable: return .retainAvailable(try buffer.readMQTTByte())
            case .userProperty:
                let key = try buffer.readMQTTString()
                return .userProperty(key, try buffer.readMQTTString())
            case .maximumPacketSize: return .maximumPacketSize(try buffer.readMQTTUInt32())
            case .wildcardSubscriptionAvailable: return .wildcardSubscriptionAvailable(try buffer.readMQTTByte())
            case .subscriptionIdentifierAvailable: return .subscriptionIdentifierAvailable(try buffer.readMQTTByte())
            case .sharedSubscriptionAvailable: return .sharedSubscriptionAvailable(try buffer.readMQTTByte())
            }
        } catch .truncated {
            throw .propertyLengthMismatch
        }
    }
}
