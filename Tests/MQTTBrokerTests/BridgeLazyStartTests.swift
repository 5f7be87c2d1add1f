@testable import MQTTBroker
import NIOCore
import XCTest

/// `start_type lazy`: up at the threshold, down after idle_timeout seconds that carried nothing.
final class BridgeLazyStartTests: XCTestCase {
    private func at(_ seconds: Double) -> NIODeadline { .uptimeNanoseconds(UInt64(seconds * 1e9) + 1_000_000_000) }

    func testConnectsOnceTheThresholdIsReached() {
        let lazy = BridgeLazyStart(threshold: 3, idleTimeoutSeconds: 60)
        XCTAssertEqual(lazy.whileDown(queued: 0), .wait)
        XCTAssertEqual(lazy.whileDown(queued: 2), .wait)
        XCTAssertEqual(lazy.whileDown(queued: 3), .connect)
        XCTAssertEqual(lazy.whileDown(queued: 500), .connect)
    }

    func testDisconnectsAfterTheIdleTimeoutWithNothingCarried() {
        var lazy = BridgeLazyStart(threshold: 10, idleTimeoutSeconds: 5)
        lazy.linkUp(carried: 7, now: at(0))
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 7, now: at(4.9)), .wait)
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 7, now: at(5)), .disconnectIdle)
    }

    func testCarryingOrWaitingMessagesRestartTheIdleTime() {
        var lazy = BridgeLazyStart(threshold: 10, idleTimeoutSeconds: 5)
        lazy.linkUp(carried: 0, now: at(0))
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 1, now: at(4)), .wait, "a message went across at 4 s")
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 1, now: at(8.9)), .wait)
        XCTAssertEqual(lazy.whileUp(queued: 2, carried: 1, now: at(9.5)), .wait, "messages still wait for the remote")
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 1, now: at(14)), .wait)
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 1, now: at(14.5)), .disconnectIdle)
    }

    func testAComeBackStartsTheIdleTimeAfresh() {
        var lazy = BridgeLazyStart(threshold: 1, idleTimeoutSeconds: 5)
        lazy.linkUp(carried: 3, now: at(0))
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 3, now: at(6)), .disconnectIdle)
        lazy.linkUp(carried: 3, now: at(100))
        XCTAssertEqual(lazy.whileUp(queued: 0, carried: 3, now: at(104)), .wait)
    }
}
