@testable import MQTTCore
import NIOCore
import XCTest

/// Drives the client's QoS 1/2 session directly: every event in, every action out, no channel.
final class ClientSessionStateMachineTests: XCTestCase {
    private typealias Machine = ClientSessionStateMachine

    private func message(_ topic: String = "livingroom/temp", qos: QoS, payload: String = "24.1") -> PublishPacket {
        PublishPacket(topic: topic, payload: ByteBuffer(string: payload), qos: qos)
    }

    /// Sends `message` and returns it as the machine assigned it, failing unless it went out at once.
    private func sendNow(_ message: PublishPacket, on machine: inout Machine, file: StaticString = #filePath, line: UInt = #line) -> PublishPacket {
        guard case .send(let sent) = machine.send(message) else {
            XCTFail("expected .send", file: file, line: line)
            return message
        }
        return sent
    }

    private func queued(_ message: PublishPacket, on machine: inout Machine, file: StaticString = #filePath, line: UInt = #line) -> PublishPacket {
        guard case .queued(let waiting) = machine.send(message) else {
            XCTFail("expected .queued", file: file, line: line)
            return message
        }
        return waiting
    }

    private func ack(_ id: UInt16, _ code: ReasonCode = .success) -> AckPacket { AckPacket(packetID: id, reasonCode: code) }

    private func withDup(_ message: PublishPacket, _ dup: Bool) -> PublishPacket {
        var copy = message
        copy.dup = dup
        return copy
    }

    /// Takes every free id, so that the next free one can only be one released since.
    private func exhaustIDs(_ machine: inout Machine) -> Int {
        var taken = 0
        while machine.allocateID() != nil { taken += 1 }
        return taken
    }

    // MARK: - Outgoing

    func testQoS0PassesThroughWithoutAnID() {
        var machine = Machine()
        var input = message(qos: .atMostOnce)
        input.packetID = 9  // a stray id is dropped: QoS 0 carries none on the wire
        XCTAssertEqual(machine.send(input), .send(message(qos: .atMostOnce)))
        XCTAssertEqual(machine.inFlightCount, 0)
    }

    func testQoS1PubAckCompletesAndReleasesTheID() {
        var machine = Machine()
        let sent = sendNow(message(qos: .atLeastOnce), on: &machine)
        XCTAssertEqual(sent.packetID, 1)
        XCTAssertFalse(sent.dup)
        XCTAssertEqual(machine.state(of: 1), .awaitingPubAck(sent))
        XCTAssertEqual(machine.inFlightCount, 1)

        // With every other id taken, the only id that can come back is the one PUBACK frees.
        XCTAssertEqual(exhaustIDs(&machine), 65_534)
        XCTAssertEqual(machine.send(message(qos: .atLeastOnce)), .noPacketIDAvailable)

        let action = machine.receivedPubAck(ack(1))
        XCTAssertEqual(action.completed, .init(id: 1, reasonCode: .success))
        XCTAssertEqual(action.send, [])
        XCTAssertNil(action.deliver)
        XCTAssertNil(machine.state(of: 1))
        XCTAssertEqual(machine.inFlightCount, 0)
        XCTAssertEqual(machine.allocateID(), 1)
    }

    func testQoS1PubAckFailureCodeIsReported() {
        var machine = Machine()
        _ = sendNow(message(qos: .atLeastOnce), on: &machine)
        let action = machine.receivedPubAck(ack(1, .notAuthorized))
        XCTAssertEqual(action.completed, .init(id: 1, reasonCode: .notAuthorized))
        XCTAssertEqual(machine.inFlightCount, 0)
    }

    func testDuplicateOrUnknownPubAckIsIgnored() {
        var machine = Machine()
        _ = sendNow(message(qos: .atLeastOnce), on: &machine)
        XCTAssertEqual(machine.receivedPubAck(ack(7)), .init())
        XCTAssertNotNil(machine.receivedPubAck(ack(1)).completed)
        XCTAssertEqual(machine.receivedPubAck(ack(1)), .init())
    }

    func testQoS2FlowPubRecPubRelPubComp() {
        var machine = Machine()
        let sent = sendNow(message(qos: .exactlyOnce), on: &machine)
        XCTAssertEqual(sent.packetID, 1)
        XCTAssertEqual(machine.state(of: 1), .awaitingPubRec(sent))

        // A PUBACK is the wrong answer to QoS 2: nothing completes.
        XCTAssertEqual(machine.receivedPubAck(ack(1)), .init())
        XCTAssertEqual(machine.state(of: 1), .awaitingPubRec(sent))
        // Neither does a PUBCOMP before PUBREC.
        XCTAssertEqual(machine.receivedPubComp(ack(1)), .init())

        let rec = machine.receivedPubRec(ack(1))
        XCTAssertEqual(rec.send, [.pubRel(ack(1))])
        XCTAssertNil(rec.completed)
        XCTAssertEqual(machine.state(of: 1), .awaitingPubComp)

        // A repeated PUBREC (our PUBREL got lost) is answered again.
        XCTAssertEqual(machine.receivedPubRec(ack(1)).send, [.pubRel(ack(1))])

        let comp = machine.receivedPubComp(ack(1))
        XCTAssertEqual(comp.completed, .init(id: 1, reasonCode: .success))
        XCTAssertEqual(comp.send, [])
        XCTAssertNil(machine.state(of: 1))
        XCTAssertEqual(machine.inFlightCount, 0)
        XCTAssertEqual(machine.receivedPubComp(ack(1)), .init())
    }

    func testFailingPubRecEndsTheExchangeWithoutPubRel() {
        var machine = Machine()
        _ = sendNow(message(qos: .exactlyOnce), on: &machine)
        XCTAssertEqual(exhaustIDs(&machine), 65_534)

        let action = machine.receivedPubRec(ack(1, .quotaExceeded))
        XCTAssertEqual(action.send, [])
        XCTAssertEqual(action.completed, .init(id: 1, reasonCode: .quotaExceeded))
        XCTAssertNil(machine.state(of: 1))
        XCTAssertEqual(machine.allocateID(), 1, "the id is free again")
    }

    func testPubRecForAnUnknownIDGetsPubRelNotFound() {
        var machine = Machine()
        let action = machine.receivedPubRec(ack(42))
        XCTAssertEqual(action.send, [.pubRel(ack(42, .packetIdentifierNotFound))])
        XCTAssertNil(action.completed)
    }

    // MARK: - Incoming

    func testIncomingQoS0IsDeliveredWithoutAck() {
        var machine = Machine()
        let incoming = message(qos: .atMostOnce)
        let action = machine.receivedPublish(incoming)
        XCTAssertEqual(action.deliver, incoming)
        XCTAssertEqual(action.send, [])
    }

    func testIncomingQoS1IsDeliveredAndAcknowledged() {
        var machine = Machine()
        var incoming = message(qos: .atLeastOnce)
        incoming.packetID = 2
        let action = machine.receivedPublish(incoming)
        XCTAssertEqual(action.deliver, incoming)
        XCTAssertEqual(action.send, [.pubAck(ack(2))])
        // QoS 1 is at least once: a resend is delivered again and acknowledged again.
        incoming.dup = true
        XCTAssertEqual(machine.receivedPublish(incoming).deliver, incoming)
    }

    func testIncomingQoS2IsHeldUntilPubRelAndDeliveredOnce() {
        var machine = Machine()
        var incoming = message(qos: .exactlyOnce)
        incoming.packetID = 5

        // Held, as mosquitto's clients hold it: delivered when the broker releases it.
        let first = machine.receivedPublish(incoming)
        XCTAssertNil(first.deliver)
        XCTAssertEqual(first.send, [.pubRec(ack(5))])

        // The broker resends before our PUBREC reached it: acknowledge again, keep the first copy.
        var resent = incoming
        resent.dup = true
        resent.payload = ByteBuffer(string: "changed")
        let again = machine.receivedPublish(resent)
        XCTAssertNil(again.deliver)
        XCTAssertEqual(again.send, [.pubRec(ack(5))])

        let rel = machine.receivedPubRel(ack(5))
        XCTAssertEqual(rel.deliver, incoming)
        XCTAssertEqual(rel.send, [.pubComp(ack(5))])

        // A repeated PUBREL (our PUBCOMP got lost) delivers nothing more.
        let relAgain = machine.receivedPubRel(ack(5))
        XCTAssertNil(relAgain.deliver)
        XCTAssertEqual(relAgain.send, [.pubComp(ack(5, .packetIdentifierNotFound))])

        // After PUBREL the id names a new message.
        XCTAssertNil(machine.receivedPublish(incoming).deliver)
        XCTAssertEqual(machine.receivedPubRel(ack(5)).deliver, incoming)
    }

    func testUnknownPubRelGetsPubCompNotFound() {
        var machine = Machine()
        XCTAssertEqual(machine.receivedPubRel(ack(77)).send, [.pubComp(ack(77, .packetIdentifierNotFound))])
    }

    // MARK: - Receive maximum

    func testMessagesBeyondTheSendQuotaWaitAndLeaveInOrder() {
        var machine = Machine.withSendQuota(2)
        let m1 = sendNow(message("a", qos: .atLeastOnce), on: &machine)
        let m2 = sendNow(message("b", qos: .atLeastOnce), on: &machine)
        let m3 = queued(message("c", qos: .atLeastOnce), on: &machine)
        let m4 = queued(message("d", qos: .exactlyOnce), on: &machine)
        XCTAssertEqual([m1, m2, m3, m4].map(\.packetID), [1, 2, 3, 4], "queued messages hold their id already")
        XCTAssertEqual(machine.inFlightCount, 2)
        XCTAssertEqual(machine.waitingCount, 2)
        XCTAssertNil(machine.state(of: 3), "waiting is not in flight")

        // QoS 0 is not counted against the quota.
        XCTAssertEqual(machine.send(message(qos: .atMostOnce)), .send(message(qos: .atMostOnce)))

        let first = machine.receivedPubAck(ack(2))
        XCTAssertEqual(first.completed?.id, 2)
        XCTAssertEqual(first.send, [.publish(m3)])
        XCTAssertEqual(machine.state(of: 3), .awaitingPubAck(m3))
        XCTAssertEqual(machine.waitingCount, 1)

        let second = machine.receivedPubAck(ack(1))
        XCTAssertEqual(second.send, [.publish(m4)])
        XCTAssertEqual(machine.state(of: 4), .awaitingPubRec(m4))
        XCTAssertEqual(machine.waitingCount, 0)
        XCTAssertEqual(machine.inFlightCount, 2)
    }

    func testQoS2HoldsItsSlotUntilPubComp() {
        var machine = Machine.withSendQuota(1)
        _ = sendNow(message(qos: .exactlyOnce), on: &machine)
        let next = queued(message("next", qos: .atLeastOnce), on: &machine)

        XCTAssertEqual(machine.receivedPubRec(ack(1)).send, [.pubRel(ack(1))], "PUBREC does not free the slot")
        XCTAssertEqual(machine.waitingCount, 1)

        let comp = machine.receivedPubComp(ack(1))
        XCTAssertEqual(comp.send, [.publish(next)])
        XCTAssertEqual(comp.completed?.id, 1)
    }

    func testFailingPubRecFreesTheSlot() {
        var machine = Machine.withSendQuota(1)
        _ = sendNow(message(qos: .exactlyOnce), on: &machine)
        let next = queued(message("next", qos: .exactlyOnce), on: &machine)
        XCTAssertEqual(machine.receivedPubRec(ack(1, .notAuthorized)).send, [.publish(next)])
    }

    // MARK: - Reconnecting

    /// Four exchanges at different stages: 1 awaits PUBACK, 2 PUBREC, 3 PUBCOMP, 4 PUBACK.
    private func machineWithMixedExchanges() -> (Machine, [PublishPacket]) {
        var machine = Machine()
        let m1 = sendNow(message("one", qos: .atLeastOnce), on: &machine)
        let m2 = sendNow(message("two", qos: .exactlyOnce), on: &machine)
        let m3 = sendNow(message("three", qos: .exactlyOnce), on: &machine)
        let m4 = sendNow(message("four", qos: .atLeastOnce), on: &machine)
        XCTAssertEqual(machine.receivedPubRec(ack(3)).send, [.pubRel(ack(3))])
        return (machine, [m1, m2, m3, m4])
    }

    func testResumedSessionResendsWithDupInOriginalOrder() {
        var (machine, sent) = machineWithMixedExchanges()
        let resumed = machine.connectionResumed(sessionPresent: true, sendQuota: 65_535)
        XCTAssertEqual(
            resumed.send,
            [.publish(withDup(sent[0], true)), .publish(withDup(sent[1], true)), .pubRel(ack(3)), .publish(withDup(sent[3], true))])
        XCTAssertEqual(resumed.completed, [])
        XCTAssertEqual(machine.inFlightCount, 4)

        // The flows go on where they were.
        XCTAssertEqual(machine.receivedPubComp(ack(3)).completed?.id, 3)
        XCTAssertEqual(machine.receivedPubRec(ack(2)).send, [.pubRel(ack(2))])
        XCTAssertEqual(machine.receivedPubAck(ack(1)).completed?.id, 1)

        // A second reconnect resends what is still open, still in order.
        let again = machine.connectionResumed(sessionPresent: true, sendQuota: 65_535)
        XCTAssertEqual(again.send, [.pubRel(ack(2)), .publish(withDup(sent[3], true))])
    }

    func testLostSessionStartsOverWithoutDupAndDropsPubCompStage() {
        var (machine, sent) = machineWithMixedExchanges()
        let resumed = machine.connectionResumed(sessionPresent: false, sendQuota: 65_535)
        XCTAssertEqual(resumed.send, [.publish(sent[0]), .publish(sent[1]), .publish(sent[3])])
        XCTAssertTrue(resumed.send.allSatisfy { if case .publish(let p) = $0 { !p.dup } else { false } })
        // The broker had accepted message 3 (PUBREC); its waiter hears of it instead of hanging.
        XCTAssertEqual(resumed.completed, [.init(id: 3, reasonCode: .success)])
        XCTAssertNil(machine.state(of: 3))
        XCTAssertEqual(machine.inFlightCount, 3)
        XCTAssertEqual(machine.receivedPubComp(ack(3)), .init(), "a late PUBCOMP for it is ignored")

        // Resending again keeps the order of the rest.
        let again = machine.connectionResumed(sessionPresent: false, sendQuota: 65_535)
        XCTAssertEqual(again.send, [.publish(sent[0]), .publish(sent[1]), .publish(sent[3])])
    }

    func testResumeSendsWaitingMessagesUnderTheNewQuota() {
        var machine = Machine.withSendQuota(1)
        let first = sendNow(message("a", qos: .atLeastOnce), on: &machine)
        let second = queued(message("b", qos: .atLeastOnce), on: &machine)
        let third = queued(message("c", qos: .atLeastOnce), on: &machine)

        // The new broker allows two: the resend of the first counts, then one waiting message goes, never sent before so DUP clear.
        let resumed = machine.connectionResumed(sessionPresent: true, sendQuota: 2)
        XCTAssertEqual(resumed.send, [.publish(withDup(first, true)), .publish(second)])
        XCTAssertEqual(machine.sendQuota, 2)
        XCTAssertEqual(machine.waitingCount, 1)
        XCTAssertEqual(machine.receivedPubAck(ack(1)).send, [.publish(third)])
    }

    func testHeldQoS2MessagesWaitForPubRelInAKeptSession() {
        var machine = Machine()
        var incoming = message(qos: .exactlyOnce)
        incoming.packetID = 9
        XCTAssertNil(machine.receivedPublish(incoming).deliver)

        // Kept session: the broker resends the PUBLISH with DUP and then releases it; delivered once.
        XCTAssertEqual(machine.connectionResumed(sessionPresent: true, sendQuota: 65_535).deliver, [])
        incoming.dup = true
        XCTAssertNil(machine.receivedPublish(incoming).deliver)
        incoming.dup = false
        XCTAssertEqual(machine.receivedPubRel(ack(9)).deliver, incoming)
    }

    func testLostSessionDeliversHeldQoS2MessagesInArrivalOrder() {
        var machine = Machine()
        var held: [PublishPacket] = []
        for (id, topic) in [(UInt16(40), "a"), (7, "b"), (12, "c")] {
            var incoming = message(topic, qos: .exactlyOnce)
            incoming.packetID = id
            _ = machine.receivedPublish(incoming)
            held.append(incoming)
        }
        _ = machine.receivedPubRel(ack(7))  // "b" is delivered the normal way

        // Our PUBREC took them over and the broker forgot them: no PUBREL will ever come, so they are
        // handed over now rather than lost.
        XCTAssertEqual(machine.connectionResumed(sessionPresent: false, sendQuota: 65_535).deliver, [held[0], held[2]])
        XCTAssertEqual(machine.receivedPubRel(ack(40)).send, [.pubComp(ack(40, .packetIdentifierNotFound))])
        XCTAssertNil(machine.receivedPubRel(ack(12)).deliver)

        // Id 40 now names a new message.
        XCTAssertNil(machine.receivedPublish(held[0]).deliver)
        XCTAssertEqual(machine.receivedPubRel(ack(40)).deliver, held[0])
    }

    // MARK: - Giving up

    func testAbandonAllReturnsEveryIDAndForgetsEverything() {
        var machine = Machine.withSendQuota(2)
        _ = sendNow(message(qos: .atLeastOnce), on: &machine)
        _ = sendNow(message(qos: .exactlyOnce), on: &machine)
        _ = queued(message(qos: .atLeastOnce), on: &machine)
        _ = machine.receivedPubRec(ack(2))
        var incoming = message(qos: .exactlyOnce)
        incoming.packetID = 30
        _ = machine.receivedPublish(incoming)

        XCTAssertEqual(machine.abandonAll(), [1, 2, 3], "in flight in order, then waiting")
        XCTAssertEqual(machine.inFlightCount, 0)
        XCTAssertEqual(machine.waitingCount, 0)
        XCTAssertEqual(machine.receivedPubAck(ack(1)), .init())
        XCTAssertEqual(machine.receivedPubComp(ack(2)), .init())
        XCTAssertEqual(machine.receivedPubRel(ack(30)).send, [.pubComp(ack(30, .packetIdentifierNotFound))])
        XCTAssertEqual(machine.connectionResumed(sessionPresent: true, sendQuota: 10), .init())
        XCTAssertEqual(machine.abandonAll(), [])
        // All ids are free again.
        XCTAssertEqual(exhaustIDs(&machine), 65_535)
    }

    // MARK: - Packet ids

    func testIDsAreNotReusedRightAfterRelease() {
        var machine = Machine()
        for expected: UInt16 in 1...3 {
            XCTAssertEqual(sendNow(message(qos: .atLeastOnce), on: &machine).packetID, expected)
        }
        _ = machine.receivedPubAck(ack(2))
        XCTAssertEqual(sendNow(message(qos: .atLeastOnce), on: &machine).packetID, 4)
        // SUBSCRIBE ids come from the same pool.
        XCTAssertEqual(machine.allocateID(), 5)
        XCTAssertEqual(sendNow(message(qos: .exactlyOnce), on: &machine).packetID, 6)
    }

    func testIDsInFlightAreNeverHandedOutAgain() {
        var machine = Machine()
        // Ten exchanges that never end: the allocator has to step over them on every lap.
        var inFlight = Set((0..<10).compactMap { _ in sendNow(message(qos: .exactlyOnce), on: &machine).packetID })
        var order: [UInt16] = []
        // A fixed pseudo-random walk of sends and acks that goes round the id space (65 535 ids) once.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextRandom() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        var sends = 0
        while sends < 70_000 {
            if order.count < 200 && (order.isEmpty || nextRandom() % 2 == 0) {
                let qos: QoS = nextRandom() % 2 == 0 ? .atLeastOnce : .exactlyOnce
                guard case .send(let sent) = machine.send(message(qos: qos)), let id = sent.packetID else {
                    return XCTFail("send failed with \(inFlight.count) in flight")
                }
                guard inFlight.insert(id).inserted else { return XCTFail("id \(id) handed out while in flight") }
                order.append(id)
                sends += 1
            } else {
                // Acknowledge one of the older half, so some ids stay in flight for a long time.
                let id = order.remove(at: Int(nextRandom() % UInt64(max(1, order.count / 2))))
                inFlight.remove(id)
                switch machine.state(of: id) {
                case .awaitingPubAck: XCTAssertEqual(machine.receivedPubAck(ack(id)).completed?.id, id)
                case .awaitingPubRec:
                    _ = machine.receivedPubRec(ack(id))
                    XCTAssertEqual(machine.receivedPubComp(ack(id)).completed?.id, id)
                default: return XCTFail("id \(id) has no state")
                }
            }
        }
        XCTAssertEqual(machine.inFlightCount, inFlight.count)
        for id: UInt16 in 1...10 { XCTAssertNotNil(machine.state(of: id)) }
    }
}

private extension ClientSessionStateMachine {
    /// A machine whose peer takes `quota` QoS 1/2 messages in flight (its Receive Maximum).
    static func withSendQuota(_ quota: Int) -> Self {
        var machine = Self()
        machine.sendQuota = quota
        return machine
    }
}
