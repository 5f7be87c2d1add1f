@testable import MQTTCore
import NIOCore
import XCTest

/// A bridge relaying another session's messages: packet ids kept, QoS 2 paused at PUBREC until released.
final class ClientSessionRelayTests: XCTestCase {
    private func relayed(_ id: UInt16, qos: QoS, dup: Bool = false) -> PublishPacket {
        var message = PublishPacket(topic: "site/seq", payload: ByteBuffer(string: "\(id)"), qos: qos)
        message.packetID = id
        message.dup = dup
        return message
    }

    func testAQoS2RelayKeepsItsIDAndWaitsAtPubRecForTheRelease() {
        var machine = ClientSessionStateMachine()
        guard case .send(let sent) = machine.relay(relayed(4711, qos: .exactlyOnce, dup: true)) else { return XCTFail("not sent") }
        XCTAssertEqual(sent.packetID, 4711)
        XCTAssertTrue(sent.dup, "a resend keeps DUP, so the peer knows it may have it")

        let received = machine.receivedPubRec(AckPacket(packetID: 4711))
        XCTAssertEqual(received.send, [], "no PUBREL before the caller releases it")
        XCTAssertEqual(received.completed, .init(id: 4711, reasonCode: .success))
        XCTAssertEqual(machine.state(of: 4711), .awaitingRelease)
        XCTAssertEqual(machine.receivedPubRec(AckPacket(packetID: 4711)).send, [], "a repeated PUBREC does not release it either")

        XCTAssertEqual(machine.relayRelease(4711), .pubRel(AckPacket(packetID: 4711)))
        XCTAssertEqual(machine.state(of: 4711), .awaitingPubComp)
        XCTAssertEqual(machine.receivedPubComp(AckPacket(packetID: 4711)).completed, .init(id: 4711, reasonCode: .success))
        XCTAssertNil(machine.state(of: 4711))
        XCTAssertEqual(machine.inFlightCount, 0)
    }

    func testAReleaseForAnExchangeOfAnEarlierConnectionIsSentAndCompleted() {
        var machine = ClientSessionStateMachine()
        XCTAssertEqual(machine.relayRelease(9), .pubRel(AckPacket(packetID: 9)))
        XCTAssertEqual(machine.receivedPubComp(AckPacket(packetID: 9)).completed, .init(id: 9, reasonCode: .success))
        // The id is free again for the machine's own exchanges.
        XCTAssertEqual(machine.inFlightCount, 0)
    }

    func testAQoS1RelayEndsAtPubAck() {
        var machine = ClientSessionStateMachine()
        guard case .send(let sent) = machine.relay(relayed(300, qos: .atLeastOnce)) else { return XCTFail("not sent") }
        XCTAssertEqual(sent.packetID, 300)
        XCTAssertEqual(machine.receivedPubAck(AckPacket(packetID: 300)).completed, .init(id: 300, reasonCode: .success))
        XCTAssertEqual(machine.inFlightCount, 0)
    }

    func testAnIDTheMachineUsesItselfIsRefused() {
        var machine = ClientSessionStateMachine()
        guard case .send(let own) = machine.send(PublishPacket(topic: "own", payload: ByteBuffer(), qos: .atLeastOnce)) else {
            return XCTFail("not sent")
        }
        XCTAssertEqual(machine.relay(relayed(own.packetID!, qos: .exactlyOnce)), .noPacketIDAvailable)
        XCTAssertEqual(machine.inFlightCount, 1)
    }

    func testAnIDReservedForARelayIsKeptFromOurOwnPacketsUntilItIsRelayed() {
        var machine = ClientSessionStateMachine()
        machine.reserveForRelay(1)
        machine.reserveForRelay(2)
        XCTAssertEqual(machine.allocateID(), 3, "our own SUBSCRIBE skips the reserved ids")
        guard case .send(let own) = machine.send(PublishPacket(topic: "own", payload: ByteBuffer(), qos: .atLeastOnce)) else {
            return XCTFail("not sent")
        }
        XCTAssertEqual(own.packetID, 4)
        XCTAssertTrue(machine.canRelay(2))
        XCTAssertFalse(machine.canRelay(4), "an id our own exchange holds is not relayed under")

        guard case .send(let resent) = machine.relay(relayed(2, qos: .exactlyOnce, dup: true)) else { return XCTFail("not relayed") }
        XCTAssertEqual(resent.packetID, 2)
        XCTAssertEqual(machine.state(of: 2), .awaitingPubRec(resent))
        XCTAssertEqual(machine.relayRelease(1), .pubRel(AckPacket(packetID: 1)), "a reserved id released on PUBREL")
        XCTAssertEqual(machine.receivedPubComp(AckPacket(packetID: 1)).completed, .init(id: 1, reasonCode: .success))
        XCTAssertFalse(machine.isInUse(1), "free again once its exchange is done")
    }

    func testReservedIDsAreFreedWhenTheSessionIsGivenUp() {
        var machine = ClientSessionStateMachine()
        machine.reserveForRelay(7)
        XCTAssertTrue(machine.isInUse(7))
        _ = machine.abandonAll()
        XCTAssertFalse(machine.isInUse(7))
        XCTAssertTrue(machine.canRelay(7), "nothing holds it any more")
    }

    func testTheMachinesOwnQoS2ExchangesStillReleaseThemselves() {
        var machine = ClientSessionStateMachine()
        _ = machine.relay(relayed(1, qos: .exactlyOnce))
        guard case .send(let own) = machine.send(PublishPacket(topic: "own", payload: ByteBuffer(), qos: .exactlyOnce)) else {
            return XCTFail("not sent")
        }
        XCTAssertEqual(machine.receivedPubRec(AckPacket(packetID: own.packetID!)).send, [.pubRel(AckPacket(packetID: own.packetID!))])
    }
}
