import MQTTCore
import NIOCore
import XCTest

/// Rules of packet bodies: strings, identifiers, CONNECT/CONNACK flags, subscriptions, reason codes.
final class MalformedBodyTests: XCTestCase {
    /// A CONNECT body: protocol name, level, flags, keep alive 60, v5 properties when given, then `payload`.
    private func connect(name: String = "MQTT", level: UInt8 = 4, flags: UInt8, properties: [UInt8]? = nil, payload: [UInt8]) -> [UInt8] {
        Bytes.packet(0x10, Bytes.string(name) + [level, flags, 0x00, 0x3C] + (properties ?? []) + payload)
    }

    /// A QoS 0 PUBLISH whose topic is the given raw bytes.
    private func publish(topic: [UInt8], version: MQTTVersion) -> [UInt8] {
        Bytes.packet(0x30, Bytes.string(topic) + (version == .v5 ? [0x00] : []) + [0x78])
    }

    func testQoS3InWillAndSubscription() {
        // will flag + will QoS 3 + clean session
        assertDecodeError(
            connect(flags: 0x1E, payload: Bytes.string("c") + Bytes.string("w") + Bytes.string("x")), .invalidQoS(3),
            version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x01] + Bytes.string("a") + [0x03]), .invalidQoS(3), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x01, 0x00] + Bytes.string("a") + [0x03]), .invalidQoS(3), version: .v5)
    }

    func testPacketIdentifierZero() {
        assertDecodeError(Bytes.packet(0x32, Bytes.string("a") + [0x00, 0x00]), .packetIdentifierZero, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x40, [0x00, 0x00]), .packetIdentifierZero)
        assertDecodeError(Bytes.packet(0x62, [0x00, 0x00]), .packetIdentifierZero)
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x00] + Bytes.string("a") + [0x00]), .packetIdentifierZero, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xA2, [0x00, 0x00] + Bytes.string("a")), .packetIdentifierZero, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x90, [0x00, 0x00, 0x00]), .packetIdentifierZero, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xB0, [0x00, 0x00]), .packetIdentifierZero, version: .v3_1_1)
    }

    func testInvalidUTF8() {
        for bad: [UInt8] in [[0xC3, 0x28], [0xFF], [0xC0, 0x80], [0x61, 0xE2, 0x82], [0xF5, 0x80, 0x80, 0x80]] {
            assertDecodeError(publish(topic: bad, version: .v3_1_1), .invalidUTF8, version: .v3_1_1)
        }
        // Also in a property string.
        assertDecodeError(
            Bytes.packet(0x30, Bytes.string("t") + [0x04, 0x03] + Bytes.string([0xFE])), .invalidUTF8, version: .v5)
    }

    func testNullCharacter() {
        assertDecodeError(publish(topic: [0x61, 0x00], version: .v5), .stringContainsNullCharacter)
        assertDecodeError(connect(flags: 0x02, payload: Bytes.string([0x00])), .stringContainsNullCharacter, version: .v3_1_1)
        // Non-ASCII strings take the slower path; U+0000 must be caught there too.
        assertDecodeError(publish(topic: [0xC3, 0xBC, 0x00], version: .v5), .stringContainsNullCharacter)
    }

    func testSurrogate() {
        assertDecodeError(publish(topic: [0xED, 0xA0, 0x80], version: .v5), .stringContainsSurrogate)
        assertDecodeError(publish(topic: [0x61, 0xED, 0xBF, 0xBF], version: .v3_1_1), .stringContainsSurrogate, version: .v3_1_1)
        // U+D7FF, just below the surrogates, is fine.
        XCTAssertNoThrow(try decodeOne(Bytes.buffer(publish(topic: [0xED, 0x9F, 0xBF], version: .v5)), version: .v5, direction: .any))
    }

    func testEmptySubscribeAndUnsubscribe() {
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x01]), .emptySubscribe, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x01, 0x00]), .emptySubscribe, version: .v5)
        assertDecodeError(Bytes.packet(0xA2, [0x00, 0x01]), .emptyUnsubscribe, version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xA2, [0x00, 0x01, 0x00]), .emptyUnsubscribe, version: .v5)
    }

    func testInvalidTopicNames() {
        assertDecodeError(publish(topic: Array("a/+".utf8), version: .v5), .invalidTopicName(.wildcardInTopicName))
        assertDecodeError(publish(topic: Array("#".utf8), version: .v3_1_1), .invalidTopicName(.wildcardInTopicName), version: .v3_1_1)
        // Empty is only allowed with a topic alias, which 3.1.1 does not have.
        assertDecodeError(publish(topic: [], version: .v3_1_1), .invalidTopicName(.empty), version: .v3_1_1)
        assertDecodeError(publish(topic: [], version: .v5), .invalidTopicName(.empty))
        // The will topic is a topic name too.
        assertDecodeError(
            connect(flags: 0x06, payload: Bytes.string("c") + Bytes.string("w/#") + Bytes.string("x")),
            .invalidTopicName(.wildcardInTopicName), version: .v3_1_1)
        XCTAssertEqual(MQTTDecodeError.invalidTopicName(.wildcardInTopicName).reasonCode, .topicNameInvalid)
    }

    func testInvalidTopicFilters() {
        assertDecodeError(Bytes.packet(0x82, [0x00, 0x01] + Bytes.string("") + [0x00]), .invalidTopicFilter(.empty), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xA2, [0x00, 0x01, 0x00] + Bytes.string("")), .invalidTopicFilter(.empty))
        func subscribe(_ filter: String) -> [UInt8] { Bytes.packet(0x82, [0x00, 0x01, 0x00] + Bytes.string(filter) + [0x00]) }
        assertDecodeError(subscribe("a/#/b"), .invalidTopicFilter(.multiLevelWildcardNotLast))
        assertDecodeError(subscribe("a/b+"), .invalidTopicFilter(.wildcardNotWholeLevel))
        assertDecodeError(subscribe("$share/g"), .invalidTopicFilter(.invalidSharedSubscription))
        assertDecodeError(
            Bytes.packet(0xA2, [0x00, 0x01] + Bytes.string("a#")), .invalidTopicFilter(.wildcardNotWholeLevel), version: .v3_1_1)
        XCTAssertEqual(MQTTDecodeError.invalidTopicFilter(.empty).reasonCode, .topicFilterInvalid)
    }

    func testConnectProtocolNameAndLevel() {
        assertDecodeError(connect(name: "mqtt", flags: 0x02, payload: Bytes.string("c")), .invalidProtocolName("mqtt"))
        assertDecodeError(connect(level: 3, flags: 0x02, payload: Bytes.string("c")), .unsupportedProtocolVersion(3))
        assertDecodeError(connect(level: 6, flags: 0x02, payload: Bytes.string("c")), .unsupportedProtocolVersion(6))
        // MQTT 3.1's name goes with level 3 only.
        assertDecodeError(connect(name: "MQIsdp", level: 4, flags: 0x02, payload: Bytes.string("c")), .unsupportedProtocolVersion(4))
        XCTAssertEqual(MQTTDecodeError.unsupportedProtocolVersion(3).reasonCode, .unsupportedProtocolVersion)
    }

    /// MQTT 3.1 ("MQIsdp", level 3) is read as 3.1.1 and remembered, and written back the way it came.
    func testMQTT31ConnectIsReadAs311() throws {
        let bytes = connect(name: "MQIsdp", level: 3, flags: 0x02, payload: Bytes.string("c"))
        let expected = ConnectPacket(version: .v3_1_1, clientID: "c", isMQTT31: true)
        XCTAssertEqual(try decodeOne(Bytes.buffer(bytes), version: .v3_1_1, direction: .clientToServer), .connect(expected))
        XCTAssertEqual(Array(buffer: encode(.connect(expected), version: .v3_1_1)), bytes)
        // Our client still says "MQTT", level 4.
        XCTAssertEqual(
            Array(buffer: encode(.connect(ConnectPacket(version: .v3_1_1, clientID: "c")), version: .v3_1_1)),
            connect(flags: 0x02, payload: Bytes.string("c")))
    }

    /// mosquitto's bridges (`try_private`) set the protocol level's top bit: 0x84 is 3.1.1 from a bridge.
    func testABridgesProtocolLevelIsReadWithItsBitAndWrittenBack() throws {
        let bytes = connect(level: 0x84, flags: 0x02, payload: Bytes.string("c"))
        let expected = ConnectPacket(version: .v3_1_1, clientID: "c", isBridge: true)
        XCTAssertEqual(try decodeOne(Bytes.buffer(bytes), version: .v3_1_1, direction: .clientToServer), .connect(expected))
        XCTAssertEqual(Array(buffer: encode(.connect(expected), version: .v3_1_1)), bytes)
        assertDecodeError(connect(level: 0x86, flags: 0x02, payload: Bytes.string("c")), .unsupportedProtocolVersion(0x86))
    }

    /// C0 controls, DEL and C1 controls in client ids, user names, will topics, topic names and filters,
    /// on the fast ASCII path and the UTF-8 path. Refused from clients only.
    func testControlCharactersFromClients() throws {
        let controls: [[UInt8]] = [[0x01], [0x1F], [0x7F], [0xC2, 0x80], [0xC2, 0x9F]]
        for control in controls {
            let text = Array("ab".utf8) + control + Array("cdefghij".utf8)
            let packets: [(MQTTVersion, [UInt8])] = [
                (.v3_1_1, connect(flags: 0x02, payload: Bytes.string(text))),
                (.v3_1_1, connect(flags: 0x82, payload: Bytes.string("c") + Bytes.string(text))),
                (.v3_1_1, connect(flags: 0x06, payload: Bytes.string("c") + Bytes.string(text) + Bytes.string("x"))),
                (.v3_1_1, publish(topic: text, version: .v3_1_1)),
                (.v5, publish(topic: text, version: .v5)),
                (.v3_1_1, Bytes.packet(0x82, [0x00, 0x01] + Bytes.string(text) + [0x00])),
                (.v5, Bytes.packet(0xA2, [0x00, 0x01, 0x00] + Bytes.string(text))),
            ]
            for (version, bytes) in packets {
                assertDecodeError(bytes, .stringContainsControlCharacter, version: version, direction: .clientToServer)
            }
            // A client shows what its broker sends.
            XCTAssertNoThrow(try decodeOne(Bytes.buffer(publish(topic: text, version: .v5)), version: .v5, direction: .serverToClient))
        }
        // Just outside the ranges: space, U+00A0 and U+00C2 itself.
        for fine: [UInt8] in [[0x20], [0xC2, 0xA0], [0xC3, 0x82, 0x41]] {
            XCTAssertNoThrow(try decodeOne(
                Bytes.buffer(publish(topic: Array("ab".utf8) + fine, version: .v5)), version: .v5, direction: .clientToServer))
        }
        XCTAssertEqual(MQTTDecodeError.stringContainsControlCharacter.reasonCode, .malformedPacket)
    }

    func testConnectFlags() {
        let c = Bytes.string("c")
        // Reserved bit 0 set.
        assertDecodeError(connect(flags: 0x03, payload: c), .invalidConnectFlags(0x03), version: .v3_1_1)
        // Will QoS 1 and will retain without the will flag.
        assertDecodeError(connect(flags: 0x0A, payload: c), .invalidConnectFlags(0x0A), version: .v3_1_1)
        assertDecodeError(connect(flags: 0x22, payload: c), .invalidConnectFlags(0x22), version: .v3_1_1)
        // 3.1.1 forbids a password without a user name; v5 allows it.
        assertDecodeError(connect(flags: 0x42, payload: c + Bytes.string("pw")), .invalidConnectFlags(0x42), version: .v3_1_1)
        XCTAssertEqual(
            try decodeOne(Bytes.buffer(connect(level: 5, flags: 0x42, properties: [0x00], payload: c + Bytes.string("pw"))),
                          version: .v5, direction: .clientToServer),
            .connect(ConnectPacket(version: .v5, clientID: "c", password: Bytes.buffer("pw"))))
    }

    func testConnAckReservedFlags() {
        assertDecodeError(Bytes.packet(0x20, [0x02, 0x00]), .invalidConnAckFlags(0x02), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x20, [0x80, 0x00, 0x00]), .invalidConnAckFlags(0x80), version: .v5)
    }

    func testSubscriptionOptions() {
        func subscribe(_ options: UInt8, _ version: MQTTVersion) -> [UInt8] {
            Bytes.packet(0x82, [0x00, 0x01] + (version == .v5 ? [0x00] : []) + Bytes.string("a/b") + [options])
        }
        assertDecodeError(subscribe(0x40, .v5), .invalidSubscriptionOptions(0x40))
        assertDecodeError(subscribe(0x80, .v5), .invalidSubscriptionOptions(0x80))
        // Retain handling 3.
        assertDecodeError(subscribe(0x30, .v5), .invalidSubscriptionOptions(0x30))
        // 3.1.1 only has the QoS bits.
        assertDecodeError(subscribe(0x04, .v3_1_1), .invalidSubscriptionOptions(0x04), version: .v3_1_1)
    }

    func testReasonCodesNotAllowedForThePacket() {
        assertDecodeError(Bytes.packet(0x40, [0x00, 0x01, 0x04]), .invalidReasonCode(0x04, .pubAck))
        assertDecodeError(Bytes.packet(0x50, [0x00, 0x01, 0x92]), .invalidReasonCode(0x92, .pubRec))
        assertDecodeError(Bytes.packet(0x62, [0x00, 0x01, 0x10]), .invalidReasonCode(0x10, .pubRel))
        assertDecodeError(Bytes.packet(0x70, [0x00, 0x01, 0x80]), .invalidReasonCode(0x80, .pubComp))
        assertDecodeError(Bytes.packet(0x20, [0x00, 0x06]), .invalidReasonCode(0x06, .connAck), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x20, [0x00, 0x04, 0x00]), .invalidReasonCode(0x04, .connAck))
        assertDecodeError(Bytes.packet(0x90, [0x00, 0x01, 0x03]), .invalidReasonCode(0x03, .subAck), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x90, [0x00, 0x01, 0x00, 0x11]), .invalidReasonCode(0x11, .subAck))
        assertDecodeError(Bytes.packet(0xB0, [0x00, 0x01, 0x00, 0x01]), .invalidReasonCode(0x01, .unsubAck))
        assertDecodeError(Bytes.packet(0xE0, [0x01]), .invalidReasonCode(0x01, .disconnect))
        assertDecodeError(Bytes.packet(0xF0, [0x01]), .invalidReasonCode(0x01, .auth))
        XCTAssertEqual(MQTTDecodeError.invalidReasonCode(0x01, .auth).reasonCode, .protocolError)
    }
}

/// The string scan works eight bytes at a time: a bad or special byte must be found in every position.
final class StringScanPositionTests: XCTestCase {
    func testEveryPositionOfALongTopic() throws {
        for length in [1, 7, 8, 9, 15, 16, 17, 31] {
            for position in 0..<length {
                var topic = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                XCTAssertNoThrow(try decodeOne(
                    Bytes.buffer(Bytes.packet(0x30, Bytes.string(topic) + [0x78])), version: .v3_1_1, direction: .any))
                for (byte, error) in [(UInt8(0), MQTTDecodeError.stringContainsNullCharacter),
                                      (UInt8(ascii: "+"), .invalidTopicName(.wildcardInTopicName)),
                                      (UInt8(ascii: "#"), .invalidTopicName(.wildcardInTopicName)),
                                      (UInt8(0xFF), .invalidUTF8)] {
                    topic[position] = byte
                    assertDecodeError(Bytes.packet(0x30, Bytes.string(topic) + [0x78]), error, version: .v3_1_1)
                    topic[position] = UInt8(ascii: "a")
                }
                for control: UInt8 in [0x01, 0x1F, 0x7F] {
                    topic[position] = control
                    assertDecodeError(
                        Bytes.packet(0x30, Bytes.string(topic) + [0x78]), .stringContainsControlCharacter, version: .v3_1_1,
                        direction: .clientToServer)
                    topic[position] = UInt8(ascii: "a")
                }
                // A valid two-byte character anywhere takes the slow path and still decodes.
                if position + 1 < length {
                    topic[position] = 0xC3
                    topic[position + 1] = 0xBC
                    XCTAssertNoThrow(try decodeOne(
                        Bytes.buffer(Bytes.packet(0x30, Bytes.string(topic) + [0x78])), version: .v3_1_1, direction: .any))
                }
            }
        }
    }
}
