@testable import MQTTCore
import NIOCore
import XCTest

/// Byte arrays written by hand from the spec's figures, so the encoder is checked against the
/// standard and not only against our own decoder.
final class WireFormatTests: XCTestCase {
    private func assertWire(
        _ packet: MQTTPacket, _ bytes: [UInt8], version: MQTTVersion, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(Array(buffer: encode(packet, version: version)), bytes, "encode", file: file, line: line)
        XCTAssertEqual(try decodeOne(Bytes.buffer(bytes), version: version, direction: .any), packet, "decode", file: file, line: line)
    }

    func testConnect311WithUserAndPassword() throws {
        // Spec 3.1.1 figure 3.1 onwards: protocol name, level 4, flags, keep alive, then the payload fields in order.
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v3_1_1, clientID: "abc", cleanStart: true, keepAlive: 60, username: "u", password: Bytes.buffer("p")))
        try assertWire(packet, [
            0x10, 21,
            0x00, 0x04, 0x4D, 0x51, 0x54, 0x54,  // "MQTT"
            0x04,  // level 4
            0xC2,  // user name, password, clean session
            0x00, 0x3C,  // keep alive 60
            0x00, 0x03, 0x61, 0x62, 0x63,  // client id "abc"
            0x00, 0x01, 0x75,  // "u"
            0x00, 0x01, 0x70,  // "p"
        ], version: .v3_1_1)
    }

    func testConnect5WithWillAndProperties() throws {
        let packet = MQTTPacket.connect(ConnectPacket(
            version: .v5, clientID: "c", cleanStart: true, keepAlive: 10, username: "u", password: Bytes.buffer("p"),
            will: Will(topic: "w", payload: Bytes.buffer("x"), qos: .atLeastOnce, retain: true, properties: [.willDelayInterval(5)]),
            properties: [.sessionExpiryInterval(60)]))
        try assertWire(packet, [
            0x10, 37,
            0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05,
            0xEE,  // user, password, will retain, will QoS 1, will, clean start
            0x00, 0x0A,
            0x05, 0x11, 0x00, 0x00, 0x00, 0x3C,  // properties: session expiry 60
            0x00, 0x01, 0x63,  // client id
            0x05, 0x18, 0x00, 0x00, 0x00, 0x05,  // will properties: will delay 5
            0x00, 0x01, 0x77,  // will topic
            0x00, 0x01, 0x78,  // will payload
            0x00, 0x01, 0x75,
            0x00, 0x01, 0x70,
        ], version: .v5)
    }

    func testConnAck311() throws {
        try assertWire(.connAck(ConnAckPacket(sessionPresent: true)), [0x20, 0x02, 0x01, 0x00], version: .v3_1_1)
        try assertWire(.connAck(ConnAckPacket(reasonCode: ReasonCode(rawValue: 4))), [0x20, 0x02, 0x00, 0x04], version: .v3_1_1)
    }

    func testPublish5QoS1() throws {
        let packet = MQTTPacket.publish(PublishPacket(
            topic: "a/b", payload: Bytes.buffer("hi"), qos: .atLeastOnce, packetID: 10, properties: [.payloadFormatIndicator(1)]))
        try assertWire(packet, [
            0x32, 12,  // PUBLISH, QoS 1
            0x00, 0x03, 0x61, 0x2F, 0x62,  // "a/b"
            0x00, 0x0A,  // packet id 10
            0x02, 0x01, 0x01,  // properties: payload format indicator 1
            0x68, 0x69,  // payload "hi"
        ], version: .v5)
    }

    func testPublish311QoS0RetainWithMultibyteTopic() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "ü", payload: Bytes.buffer("1"), retain: true))
        try assertWire(packet, [0x31, 0x05, 0x00, 0x02, 0xC3, 0xBC, 0x31], version: .v3_1_1)
    }

    func testAcks() throws {
        try assertWire(.pubAck(AckPacket(packetID: 5)), [0x40, 0x02, 0x00, 0x05], version: .v3_1_1)
        // v5 drops the reason code and properties when they are Success and empty (spec 3.4.2.1).
        try assertWire(.pubAck(AckPacket(packetID: 5)), [0x40, 0x02, 0x00, 0x05], version: .v5)
        try assertWire(.pubRel(AckPacket(packetID: 0x1234)), [0x62, 0x02, 0x12, 0x34], version: .v5)
        try assertWire(
            .pubRec(AckPacket(packetID: 5, reasonCode: .noMatchingSubscribers)), [0x50, 0x04, 0x00, 0x05, 0x10, 0x00], version: .v5)
        // Remaining length 3: reason code without a property length, which then counts as 0 (spec 3.4.2.2.1).
        XCTAssertEqual(
            try decodeOne(Bytes.buffer([0x70, 0x03, 0x00, 0x05, 0x92]), version: .v5, direction: .any),
            .pubComp(AckPacket(packetID: 5, reasonCode: .packetIdentifierNotFound)))
    }

    func testSubscribe5Options() throws {
        let options = SubscriptionOptions(qos: .atLeastOnce, noLocal: true, retainAsPublished: true, retainHandling: .doNotSend)
        XCTAssertEqual(options.byte(version: .v5), 0x2D)
        XCTAssertEqual(options.byte(version: .v3_1_1), 0x01)
        let packet = MQTTPacket.subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: "a/#", options: options)]))
        try assertWire(packet, [0x82, 9, 0x00, 0x01, 0x00, 0x00, 0x03, 0x61, 0x2F, 0x23, 0x2D], version: .v5)
    }

    func testSubAckAndUnsubscribe311() throws {
        try assertWire(
            .subAck(SubAckPacket(packetID: 1, reasonCodes: [.grantedQoS1, .unspecifiedError])), [0x90, 0x04, 0x00, 0x01, 0x01, 0x80],
            version: .v3_1_1)
        try assertWire(.unsubscribe(UnsubscribePacket(packetID: 2, filters: ["a"])), [0xA2, 0x05, 0x00, 0x02, 0x00, 0x01, 0x61], version: .v3_1_1)
        try assertWire(.unsubAck(UnsubAckPacket(packetID: 2)), [0xB0, 0x02, 0x00, 0x02], version: .v3_1_1)
    }

    func testPingAndDisconnect() throws {
        try assertWire(.pingReq, [0xC0, 0x00], version: .v3_1_1)
        try assertWire(.pingResp, [0xD0, 0x00], version: .v5)
        try assertWire(.disconnect(DisconnectPacket()), [0xE0, 0x00], version: .v5)
        try assertWire(.disconnect(DisconnectPacket(reasonCode: .disconnectWithWill)), [0xE0, 0x02, 0x04, 0x00], version: .v5)
        try assertWire(.auth(AuthPacket()), [0xF0, 0x00], version: .v5)
    }

    func testVariableByteIntegerMatchesSpecTable() throws {
        // Spec 1.5.5, table 1-1: the boundaries of each length.
        let table: [(Int, [UInt8])] = [
            (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
            (2_097_151, [0xFF, 0xFF, 0x7F]), (2_097_152, [0x80, 0x80, 0x80, 0x01]), (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
        ]
        for (value, bytes) in table {
            var buffer = ByteBuffer()
            XCTAssertEqual(buffer.writeVariableByteInteger(value), bytes.count)
            XCTAssertEqual(Array(buffer: buffer), bytes, "\(value)")
            XCTAssertEqual(variableByteIntegerSize(value), bytes.count)
            XCTAssertEqual(try buffer.readVariableByteInteger(), value)
        }
    }

    func testRemainingLengthOf128UsesTwoBytes() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(repeating: 0x41, count: 125)))
        let bytes = encode(packet, version: .v3_1_1)
        XCTAssertEqual(Array(bytes.readableBytesView.prefix(3)), [0x30, 0x80, 0x01])
        XCTAssertEqual(bytes.readableBytes, 3 + 128)
    }
}
