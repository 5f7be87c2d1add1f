import MQTTCore
import NIOCore
import XCTest

@testable import mqdash

/// `-d` lines, compared with the texts mosquitto_pub and mosquitto_sub 2.0 print.
final class DebugTraceTests: XCTestCase {
    private let trace = DebugTrace(clientID: "x")

    private func publish(_ topic: String, _ payload: String, qos: QoS, id: UInt16?, dup: Bool = false, retain: Bool = false) -> MQTTPacket {
        .publish(PublishPacket(topic: topic, payload: ByteBuffer(string: payload), qos: qos, retain: retain, dup: dup, packetID: id))
    }

    func testPublishLines() {
        XCTAssertEqual(
            DebugTrace(clientID: "testpublisher").sent(publish("livingroom/temp", "24.1", qos: .atLeastOnce, id: 1)),
            "Client testpublisher sending PUBLISH (d0, q1, r0, m1, 'livingroom/temp', ... (4 bytes))")
        XCTAssertEqual(
            trace.received(publish("a/b", "hello", qos: .exactlyOnce, id: 300, dup: true, retain: true)),
            "Client x received PUBLISH (d1, q2, r1, m300, 'a/b', ... (5 bytes))")
    }

    func testQoS0PublishTakesTheCallersNumber() {
        guard case .publish(let packet) = publish("t", "", qos: .atMostOnce, id: nil) else { return XCTFail() }
        XCTAssertEqual(trace.summary(of: packet, mid: 3), "(d0, q0, r0, m3, 't', ... (0 bytes))")
        XCTAssertEqual(trace.summary(of: packet), "(d0, q0, r0, m0, 't', ... (0 bytes))")
    }

    func testAcknowledgementLines() {
        XCTAssertEqual(trace.received(.pubAck(AckPacket(packetID: 1))), "Client x received PUBACK (Mid: 1, RC:0)")
        XCTAssertEqual(
            trace.received(.pubAck(AckPacket(packetID: 4, reasonCode: .noMatchingSubscribers))), "Client x received PUBACK (Mid: 4, RC:16)")
        XCTAssertEqual(trace.received(.pubRec(AckPacket(packetID: 1))), "Client x received PUBREC (Mid: 1)")
        XCTAssertEqual(trace.sent(.pubRel(AckPacket(packetID: 1))), "Client x sending PUBREL (m1)")
        XCTAssertEqual(trace.received(.pubComp(AckPacket(packetID: 1))), "Client x received PUBCOMP (Mid: 1, RC:0)")
        XCTAssertEqual(trace.sent(.pubRec(AckPacket(packetID: 1))), "Client x sending PUBREC (m1, rc0)")
        XCTAssertEqual(trace.received(.pubRel(AckPacket(packetID: 1))), "Client x received PUBREL (Mid: 1)")
        XCTAssertEqual(trace.sent(.pubComp(AckPacket(packetID: 1))), "Client x sending PUBCOMP (m1)")
        XCTAssertEqual(trace.sent(.pubAck(AckPacket(packetID: 2))), "Client x sending PUBACK (m2, rc0)")
    }

    func testSubscribeLines() {
        let one = SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: "livingroom/#")])
        XCTAssertEqual(trace.sent(.subscribe(one)), "Client x sending SUBSCRIBE (Mid: 1, Topic: livingroom/#, QoS: 0, Options: 0x00)")

        // One line per filter, as mosquitto logs them; the options byte without its QoS bits, in lower-case hex.
        let options = SubscriptionOptions(qos: .exactlyOnce, noLocal: true, retainAsPublished: true, retainHandling: .doNotSend)
        let two = SubscribePacket(packetID: 2, subscriptions: [Subscription(filter: "a", options: options), Subscription(filter: "b/+")])
        XCTAssertEqual(
            trace.sent(.subscribe(two)),
            "Client x sending SUBSCRIBE (Mid: 2, Topic: a, QoS: 2, Options: 0x2c)\n"
                + "Client x sending SUBSCRIBE (Mid: 2, Topic: b/+, QoS: 0, Options: 0x00)")
        XCTAssertEqual(
            trace.sent(.unsubscribe(UnsubscribePacket(packetID: 3, filters: ["a", "b"]))),
            "Client x sending UNSUBSCRIBE (Mid: 3, Topic: a)\nClient x sending UNSUBSCRIBE (Mid: 3, Topic: b)")
        XCTAssertEqual(trace.received(.subAck(SubAckPacket(packetID: 1, reasonCodes: [.success]))), "Client x received SUBACK")
        XCTAssertEqual(trace.received(.unsubAck(UnsubAckPacket(packetID: 3, reasonCodes: []))), "Client x received UNSUBACK")
    }

    func testConnectionLines() {
        XCTAssertEqual(trace.sent(.connect(ConnectPacket(version: .v5, clientID: "x"))), "Client x sending CONNECT")
        XCTAssertEqual(trace.received(.connAck(ConnAckPacket())), "Client x received CONNACK (0)")
        XCTAssertEqual(trace.received(.connAck(ConnAckPacket(reasonCode: .notAuthorized))), "Client x received CONNACK (135)")
        XCTAssertEqual(trace.sent(.pingReq), "Client x sending PINGREQ")
        XCTAssertEqual(trace.received(.pingResp), "Client x received PINGRESP")
        XCTAssertEqual(trace.sent(.disconnect(DisconnectPacket())), "Client x sending DISCONNECT")
    }

    func testEmptyClientIDPrintsAsNull() {
        let anonymous = DebugTrace(clientID: "")
        XCTAssertEqual(anonymous.clientID, "(null)")
        XCTAssertEqual(anonymous.sent(.connect(ConnectPacket(version: .v3_1_1, clientID: ""))), "Client (null) sending CONNECT")
        XCTAssertEqual(anonymous.received(.connAck(ConnAckPacket())), "Client (null) received CONNACK (0)")
    }
}
