import NIOCore

/// DISCONNECT (spec 3.14). 3.1.1 carries nothing; v5 may omit the code and properties when both are default.
public struct DisconnectPacket: Sendable, Hashable {
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }

    func bodyLength(version: MQTTVersion) -> Int {
        guard version == .v5, reasonCode != .success || !properties.isEmpty else { return 0 }
        return 1 + properties.encodedLengthWithPrefix()
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTEncodeError) {
        guard bodyLength(version: version) > 0 else { return }
        try buffer.writeMQTTReasonCode(reasonCode, thenProperties: properties)
    }

    static func readBody(from buffer: inout ByteBuffer, version: MQTTVersion) throws(MQTTDecodeError) -> DisconnectPacket {
        guard version == .v5, buffer.readableBytes > 0 else { return DisconnectPacket() }
        let (code, properties) = try buffer.readMQTTReasonCode(
            allowed: AllowedReasonCodes.disconnect, in: .disconnect, thenProperties: .disconnect)
        return DisconnectPacket(reasonCode: code, properties: properties)
    }
}

/// AUTH (spec 3.15), v5 only.
public struct AuthPacket: Sendable, Hashable {
    public var reasonCode: ReasonCode
    public var properties: Properties

    public init(reasonCode: ReasonCode = .success, properties: Properties = []) {
        self.reasonCode = reasonCode
        self.properties = properties
    }

    func bodyLength() -> Int {
        reasonCode == .success && properties.isEmpty ? 0 : 1 + properties.encodedLengthWithPrefix()
    }

    func writeBody(into buffer: inout ByteBuffer) throws(MQTTEncodeError) {
        guard bodyLength() > 0 else { return }
        try buffer.writeMQTTReasonCode(reasonCode, thenProperties: properties)
    }

    static func readBody(from buffer: inout ByteBuffer) throws(MQTTDecodeError) -> AuthPacket {
        guard buffer.readableBytes > 0 else { return AuthPacket() }
        let (code, properties) = try buffer.readMQTTReasonCode(allowed: AllowedReasonCodes.auth, in: .auth, thenProperties: .auth)
        return AuthPacket(reasonCode: code, properties: properties)
    }
}
