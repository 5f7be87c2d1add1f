import NIOCore

/// UNSUBSCRIBE (spec 3.10).
public struct UnsubscribePacket: Sendable, Hashable {
    public var packetID: UInt16
    public var filters: [String]
    public var properties: Properties

    public init(packetID: UInt16, filters: [String], properties: Properties = []) {
        self.packetID = packetID
        self.filters = filters
        self.properties = properties
    }

    func bodyLength(version: MQTTVersion) -> Int {
        filters.reduce(2 + (version == .v5 ? properties.encodedLengthWithPrefix() : 0)) { $0 + 2 + $1.utf8.count }
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        try buffer.writeMQTTPacketID(packetID, andProperties: properties, version: version)
        for filter in filters { try buffer.writeMQTTString(filter) }
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion, direction: PacketDirection) throws(MQTTDecodeError) -> UnsubscribePacket {
        let (packetID, properties) = try buffer.readMQTTPacketIDAndProperties(version: version, context: .unsubscribe)
        var filters: [String] = []
        while buffer.readableBytes > 0 { filters.append(try buffer.readMQTTTopicFilter(direction: direction)) }
        guard !filters.isEmpty else { throw .emptyUnsubscribe }
        return UnsubscribePacket(packetID: packetID, filters: filters, properties: properties)
    }
}

/// UNSUBACK (spec 3.11). 3.1.1 carries no reason codes.
public struct UnsubAckPacket: Sendable, Hashable {
    public var packetID: UInt16
    public var reasonCodes: [ReasonCode]
    public var properties: Properties

    public init(packetID: UInt16, reasonCodes: [ReasonCode] = [], properties: Properties = []) {
        self.packetID = packetID
        self.reasonCodes = reasonCodes
        self.properties = properties
    }

    func bodyLength(version: MQTTVersion) -> Int {
        version == .v5 ? 2 + properties.encodedLengthWithPrefix() + reasonCodes.count : 2
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        buffer.writeInteger(packetID)
        guard version == .v5 else { return }
        try properties.write(into: &buffer)
        for code in reasonCodes { buffer.writeInteger(code.rawValue) }
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTDecodeError) -> UnsubAckPacket {
        let packetID = try buffer.readMQTTPacketID()
        guard version == .v5 else { return UnsubAckPacket(packetID: packetID) }
        let properties = try Properties.read(from: &buffer, context: .unsubAck)
        var codes: [ReasonCode] = []
        while buffer.readableBytes > 0 {
            let code = try buffer.readMQTTByte()
            guard AllowedReasonCodes.unsubAck.contains(code) else { throw .invalidReasonCode(code, .unsubAck) }
            codes.append(ReasonCode(rawValue: code))
        }
        return UnsubAckPacket(packetID: packetID, reasonCodes: codes, properties: properties)
    }
}
