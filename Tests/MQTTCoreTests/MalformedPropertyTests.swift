import MQTTCore
import NIOCore
import XCTest

/// v5 property rules, each with its own error.
final class MalformedPropertyTests: XCTestCase {
    /// A v5 QoS 0 PUBLISH on topic "t" with the raw property section `properties` (length included) and payload "x".
    private func publish(properties: [UInt8]) -> [UInt8] {
        Bytes.packet(0x30, Bytes.string("t") + properties + [0x78])
    }

    /// A v5 CONNECT with the raw property section `properties` (length included).
    private func connect(properties: [UInt8]) -> [UInt8] {
        Bytes.packet(0x10, Bytes.string("MQTT") + [0x05, 0x02, 0x00, 0x3C] + properties + Bytes.string("c"))
    }

    func testUnknownProperty() {
        assertDecodeError(publish(properties: [0x02, 0x7F, 0x00]), .unknownProperty(0x7F))
        assertDecodeError(publish(properties: [0x01, 0x00]), .unknownProperty(0x00))
        assertDecodeError(connect(properties: [0x02, 0x04, 0x00]), .unknownProperty(0x04))
    }

    func testPropertyNotAllowedHere() {
        assertDecodeError(connect(properties: [0x03, 0x23, 0x00, 0x01]), .propertyNotAllowed(.topicAlias, .connect))
        assertDecodeError(publish(properties: [0x05, 0x18, 0x00, 0x00, 0x00, 0x01]), .propertyNotAllowed(.willDelayInterval, .publish))
        assertDecodeError(
            Bytes.packet(0x40, [0x00, 0x01, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01]), .propertyNotAllowed(.sessionExpiryInterval, .pubAck))
        XCTAssertEqual(MQTTDecodeError.propertyNotAllowed(.topicAlias, .connect).reasonCode, .protocolError)
    }

    /// Errors name the place by its packet (the contexts share the packet types' raw values).
    func testPropertyContextsAreNamedAfterTheirPackets() {
        XCTAssertEqual(PropertyContext.allCases.map(\.description), [
            "will properties", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
            "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT", "AUTH",
        ])
    }

    func testDuplicateProperty() {
        assertDecodeError(
            connect(properties: [0x0A, 0x11, 0x00, 0x00, 0x00, 0x01, 0x11, 0x00, 0x00, 0x00, 0x02]),
            .duplicateProperty(.sessionExpiryInterval))
        assertDecodeError(publish(properties: [0x04, 0x01, 0x00, 0x01, 0x01]), .duplicateProperty(.payloadFormatIndicator))
        XCTAssertEqual(MQTTDecodeError.duplicateProperty(.payloadFormatIndicator).reasonCode, .protocolError)
    }

    func testRepeatedUserPropertiesKeepTheirOrder() throws {
        let properties: [UInt8] = [0x0E] + [0x26] + Bytes.string("k") + Bytes.string("2") + [0x26] + Bytes.string("k") + Bytes.string("1")
        guard case .publish(let packet) = try decodeOne(Bytes.buffer(publish(properties: properties)), version: .v5, direction: .any) else {
            return XCTFail("not a PUBLISH")
        }
        XCTAssertEqual(packet.properties.userProperties.map(\.value), ["2", "1"])
    }

    func testInvalidPropertyValues() {
        assertDecodeError(connect(properties: [0x03, 0x21, 0x00, 0x00]), .invalidPropertyValue(.receiveMaximum))
        assertDecodeError(connect(properties: [0x05, 0x27, 0x00, 0x00, 0x00, 0x00]), .invalidPropertyValue(.maximumPacketSize))
        assertDecodeError(connect(properties: [0x02, 0x17, 0x02]), .invalidPropertyValue(.requestProblemInformation))
        assertDecodeError(publish(properties: [0x02, 0x01, 0x02]), .invalidPropertyValue(.payloadFormatIndicator))
        assertDecodeError(publish(properties: [0x03, 0x23, 0x00, 0x00]), .invalidPropertyValue(.topicAlias))
        assertDecodeError(publish(properties: [0x02, 0x0B, 0x00]), .invalidPropertyValue(.subscriptionIdentifier))
        assertDecodeError(Bytes.packet(0x20, [0x00, 0x00, 0x02, 0x24, 0x02]), .invalidPropertyValue(.maximumQoS))
        XCTAssertEqual(MQTTDecodeError.invalidPropertyValue(.receiveMaximum).reasonCode, .protocolError)
    }

    /// Only the server adds subscription identifiers to a PUBLISH (MQTT-3.3.4-6); it may add several.
    func testSubscriptionIdentifierFromClient() throws {
        assertDecodeError(publish(properties: [0x02, 0x0B, 0x01]), .subscriptionIdentifierFromClient, direction: .clientToServer)
        assertDecodeError(
            publish(properties: [0x04, 0x0B, 0x01, 0x0B, 0x02]), .subscriptionIdentifierFromClient, direction: .clientToServer)
        guard case .publish(let packet) = try decodeOne(
            Bytes.buffer(publish(properties: [0x04, 0x0B, 0x01, 0x0B, 0x02])), version: .v5, direction: .serverToClient)
        else { return XCTFail("not a PUBLISH") }
        XCTAssertEqual(packet.properties.subscriptionIdentifiers, [1, 2])
        XCTAssertEqual(MQTTDecodeError.subscriptionIdentifierFromClient.reasonCode, .protocolError)
    }

    /// A Response Topic is a topic name: no wildcards in a client's PUBLISH or will (MQTT-3.3.2-14).
    func testWildcardInResponseTopic() {
        for topic in ["r/+", "r/#", "+"] {
            let property = [0x08] + Bytes.string(topic)
            let section = [UInt8(property.count)] + property
            assertDecodeError(publish(properties: section), .wildcardInResponseTopic, direction: .clientToServer)
            // A client takes what its broker forwards (mosquitto 2.0.11 forwards it).
            XCTAssertNoThrow(try decodeOne(Bytes.buffer(publish(properties: section)), version: .v5, direction: .serverToClient))
            assertDecodeError(
                Bytes.packet(0x10, Bytes.string("MQTT") + [0x05, 0x06, 0x00, 0x3C, 0x00] + Bytes.string("c") + section
                             + Bytes.string("w") + Bytes.string("x")),
                .wildcardInResponseTopic, direction: .clientToServer)
        }
        XCTAssertEqual(MQTTDecodeError.wildcardInResponseTopic.reasonCode, .protocolError)
    }

    func testPropertyLengthMismatch() {
        // Announces 10 bytes of properties; only 2 bytes are left in the packet.
        assertDecodeError(publish(properties: [0x0A, 0x01]), .propertyLengthMismatch)
        // Announces 2 bytes, but message expiry needs 4 after its identifier.
        assertDecodeError(publish(properties: [0x02, 0x02, 0x00, 0x00]), .propertyLengthMismatch)
        // A string cut by the end of the property section.
        assertDecodeError(publish(properties: [0x03, 0x03, 0x00, 0x05]), .propertyLengthMismatch)
        XCTAssertEqual(MQTTDecodeError.propertyLengthMismatch.reasonCode, .malformedPacket)
    }

    func testVariableByteIntegersInsideProperties() {
        // The property length itself, then a subscription identifier, each with a fifth byte.
        assertDecodeError(publish(properties: [0xFF, 0xFF, 0xFF, 0xFF, 0x01]), .malformedVariableByteInteger)
        assertDecodeError(publish(properties: [0x06, 0x0B, 0x80, 0x80, 0x80, 0x80, 0x01]), .malformedVariableByteInteger)
    }
}
