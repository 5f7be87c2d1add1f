import MQTTCore
import XCTest

/// A fresh clock for each test (XCTest makes an instance per test), and where it stood when the test began.
class ManualClockTestCase: XCTestCase {
    let clock = ManualClock()
    private(set) var start: ManualClock.Instant!

    override func setUp() {
        super.setUp()
        start = clock.now
    }
}

final class KeepAliveStateMachineTests: ManualClockTestCase {
    private typealias Machine = KeepAliveStateMachine<ManualClock>

    func testDisabledNeverActs() {
        var machine = Machine(keepAlive: .zero, connectSent: clock.now)
        XCTAssertNil(machine.nextDeadline)
        machine.packetSent(at: clock.advance(by: .seconds(5)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(3600))), .none)
        XCTAssertNil(machine.nextDeadline)
    }

    func testIdleConnectionPingsAfterKeepAlive() {
        var machine = Machine(keepAlive: .seconds(10), connectSent: start)
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(10)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(9))), .none)
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(1))), .sendPingRequest)
        // Waiting for PINGRESP now: the deadline is the ping timeout, not another ping.
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(20)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(1))), .none)

        machine.packetReceived(at: clock.advance(by: .seconds(1)))  // PINGRESP at t=12
        // The PINGREQ at t=10 counts as sent, so the next ping is due at t=20.
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(20)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(8))), .sendPingRequest)
        XCTAssertFalse(machine.isDead)
    }

    func testUnansweredPingMeansDead() {
        var machine = Machine(keepAlive: .seconds(10), connectSent: start)
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(10))), .sendPingRequest)
        // Sending more does not count as an answer.
        machine.packetSent(at: clock.advance(by: .seconds(5)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .milliseconds(4_999))), .none)
        XCTAssertEqual(machine.tick(now: clock.advance(by: .milliseconds(1))), .connectionDead)
        XCTAssertTrue(machine.isDead)
        XCTAssertNil(machine.nextDeadline)
        // Dead is final.
        machine.packetReceived(at: clock.advance(by: .seconds(1)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(100))), .none)
        XCTAssertTrue(machine.isDead)
    }

    func testCustomPingTimeout() {
        var machine = Machine(keepAlive: .seconds(60), pingTimeout: .seconds(5), connectSent: start)
        XCTAssertEqual(machine.pingTimeout, .seconds(5))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(60))), .sendPingRequest)
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(65)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(5))), .connectionDead)
    }

    func testBusyInBothDirectionsNeverPings() {
        var machine = Machine(keepAlive: .seconds(10), connectSent: clock.now)
        for _ in 0..<100 {
            let now = clock.advance(by: .seconds(3))
            machine.packetSent(at: now)
            machine.packetReceived(at: now)
            XCTAssertEqual(machine.tick(now: now), .none)
        }
        XCTAssertEqual(machine.nextDeadline, clock.now.advanced(by: .seconds(10)))
    }

    func testSendingOnlyStillPings() {
        // A QoS 0 publisher hears nothing back: ping anyway to find half-open connections.
        var machine = Machine(keepAlive: .seconds(10), connectSent: start)
        machine.packetReceived(at: clock.advance(by: .milliseconds(5)))  // CONNACK
        for _ in 0..<9 {
            machine.packetSent(at: clock.advance(by: .seconds(1)))
            XCTAssertEqual(machine.tick(now: clock.now), .none)
        }
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .milliseconds(10_005)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(1))), .sendPingRequest)
        // The publisher keeps sending but the broker is gone.
        for _ in 0..<9 {
            machine.packetSent(at: clock.advance(by: .seconds(1)))
            XCTAssertEqual(machine.tick(now: clock.now), .none)
        }
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(1))), .connectionDead)
    }

    func testReceivingOnlyStillPings() {
        // A subscriber that never sends must ping within the keep alive, as the spec requires.
        var machine = Machine(keepAlive: .seconds(10), connectSent: start)
        for _ in 0..<9 {
            machine.packetReceived(at: clock.advance(by: .seconds(1)))
            XCTAssertEqual(machine.tick(now: clock.now), .none)
        }
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(1))), .sendPingRequest)
        // Any packet answers the ping, not only PINGRESP.
        machine.packetReceived(at: clock.advance(by: .seconds(1)))
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(20)))
    }

    func testLateTimerStillPingsFirst() {
        var machine = Machine(keepAlive: .seconds(10), connectSent: clock.now)
        // The event loop was blocked far past both deadlines: ping now, judge later.
        let late = clock.advance(by: .seconds(45))
        XCTAssertEqual(machine.tick(now: late), .sendPingRequest)
        XCTAssertEqual(machine.nextDeadline, late.advanced(by: .seconds(10)))
    }

    func testEarlyAndOutOfOrderEventsAreHarmless() {
        var machine = Machine(keepAlive: .seconds(10), connectSent: start)
        machine.packetSent(at: start.advanced(by: .seconds(8)))
        machine.packetReceived(at: start.advanced(by: .seconds(9)))
        machine.packetSent(at: start.advanced(by: .seconds(2)))  // older than what we know
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(18)))
        XCTAssertEqual(machine.tick(now: start.advanced(by: .seconds(17))), .none)
        XCTAssertEqual(machine.tick(now: start.advanced(by: .seconds(18))), .sendPingRequest)
        XCTAssertEqual(machine.tick(now: start.advanced(by: .seconds(18))), .none)
    }

    func testServerKeepAliveReplacesOurs() {
        var machine = Machine(keepAlive: .seconds(60), connectSent: start)
        machine.packetReceived(at: clock.advance(by: .seconds(1)))  // CONNACK with Server Keep Alive 5
        machine.keepAliveChanged(to: .keepAlive(5), at: clock.now)
        XCTAssertEqual(machine.keepAlive, .seconds(5))
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(5)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(4))), .sendPingRequest)

        machine.keepAliveChanged(to: .zero, at: clock.now)
        XCTAssertNil(machine.nextDeadline)
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(100))), .none)

        machine.keepAliveChanged(to: .seconds(3), at: clock.now)
        XCTAssertEqual(machine.nextDeadline, clock.now.advanced(by: .seconds(3)))
    }
}

final class ServerKeepAliveStateMachineTests: ManualClockTestCase {
    private typealias Machine = ServerKeepAliveStateMachine<ManualClock>

    func testClosesAfterOneAndAHalfKeepAlives() {
        var machine = Machine(keepAlive: .seconds(10), connectReceived: start)
        XCTAssertEqual(machine.timeout, .seconds(15))
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(15)))
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(10))), .none)  // 1x is not enough
        machine.packetReceived(at: clock.advance(by: .seconds(2)))  // t=12
        XCTAssertEqual(machine.nextDeadline, start.advanced(by: .seconds(27)))
        XCTAssertEqual(machine.tick(now: start.advanced(by: .milliseconds(26_999))), .none)
        XCTAssertEqual(machine.tick(now: start.advanced(by: .seconds(27))), .closeConnection)
        XCTAssertNil(machine.nextDeadline)
        machine.packetReceived(at: start.advanced(by: .seconds(28)))
        XCTAssertEqual(machine.tick(now: start.advanced(by: .seconds(100))), .none)
    }

    func testOddKeepAliveKeepsTheHalfSecond() {
        let machine = Machine(keepAlive: .keepAlive(1), connectReceived: clock.now)
        XCTAssertEqual(machine.nextDeadline, clock.now.advanced(by: .milliseconds(1_500)))
    }

    func testDisabled() {
        var machine = Machine(keepAlive: .zero, connectReceived: clock.now)
        XCTAssertNil(machine.nextDeadline)
        XCTAssertEqual(machine.tick(now: clock.advance(by: .seconds(86_400))), .none)
    }

    func testSteadyTrafficKeepsItOpen() {
        var machine = Machine(keepAlive: .seconds(30), connectReceived: clock.now)
        for _ in 0..<50 {
            machine.packetReceived(at: clock.advance(by: .seconds(30)))  // PINGREQ every keep alive
            XCTAssertEqual(machine.tick(now: clock.now), .none)
        }
    }

    func testTimeAmountForTimers() {
        let now = clock.now
        XCTAssertEqual(ManualClock.timeAmount(from: now, until: now.advanced(by: .milliseconds(1_500))), .milliseconds(1_500))
        XCTAssertEqual(ManualClock.timeAmount(from: now.advanced(by: .seconds(1)), until: now), .zero)
    }
}
