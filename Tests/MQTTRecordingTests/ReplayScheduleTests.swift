import MQTTCore
import XCTest

@testable import MQTTRecording

final class ReplayScheduleTests: XCTestCase {
    private func stamp(_ milliseconds: Int64) -> RecordTimestamp {
        RecordTimestamp(microsecondsSince1970: 1_796_289_120_000_000 + milliseconds * 1000)
    }

    func testDeadlinesFollowTheRecordingScaledBySpeedFromTheStart() {
        let clock = ManualClock()
        clock.advance(by: .seconds(5))
        var schedule = ReplaySchedule(clock: clock, speed: 2)
        XCTAssertEqual(schedule.deadline(for: stamp(1000))?.offset, .seconds(5), "the first message goes at once")
        // Lateness does not add up: deadlines come from the start, not from when the last one went.
        clock.advance(by: .seconds(10))
        XCTAssertEqual(schedule.deadline(for: stamp(1400))?.offset, .milliseconds(5200))
        XCTAssertEqual(schedule.deadline(for: stamp(3000))?.offset, .seconds(6))
        XCTAssertEqual(schedule.deadline(for: stamp(500))?.offset, .seconds(5), "a step back in time is due at once")
        schedule.restart()
        XCTAssertEqual(schedule.deadline(for: stamp(9000))?.offset, .seconds(15), "--loop starts the timing again")
    }

    func testMaxSpeedNeverWaits() {
        var schedule = ReplaySchedule(clock: ManualClock(), speed: nil)
        XCTAssertNil(schedule.deadline(for: stamp(0)))
        XCTAssertNil(schedule.deadline(for: stamp(60_000)))
    }

    func testWaitReturnsOnlyOnceTheClockReachesTheDeadline() async throws {
        let clock = ManualClock()
        var schedule = ReplaySchedule(clock: clock, speed: 1)
        try await schedule.wait(for: stamp(0))
        let due = stamp(250)
        let waiting = Task { [schedule] in
            var schedule = schedule
            try await schedule.wait(for: due)
            return clock.now.offset
        }
        clock.advance(by: .milliseconds(100))
        clock.advance(by: .milliseconds(150))
        let finishedAt = try await waiting.value
        XCTAssertEqual(finishedAt, .milliseconds(250), "it could not have returned before the clock got there")
    }
}
