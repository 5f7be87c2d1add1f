import MQTTClient
import XCTest

final class ReconnectPolicyTests: XCTestCase {
    /// Durations compared as seconds, because scaling by a Double may round in the last attosecond.
    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    func testDefaults() {
        let policy = ReconnectPolicy()
        XCTAssertEqual(policy.initialDelay, .milliseconds(250))
        XCTAssertEqual(policy.maximumDelay, .seconds(30))
        XCTAssertEqual(policy.jitter, 0.2)
    }

    func testDelayDoublesFromTheInitialDelayUpToTheCap() {
        let policy = ReconnectPolicy()
        let expected = [0.25, 0.5, 1, 2, 4, 8, 16, 30, 30]
        for (index, want) in expected.enumerated() {
            XCTAssertEqual(seconds(policy.delay(attempt: index + 1, random: 0)), want, accuracy: 1e-9, "attempt \(index + 1)")
        }
    }

    func testHugeAttemptCountsStayAtTheCap() {
        let policy = ReconnectPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(10), jitter: 0)
        XCTAssertEqual(seconds(policy.delay(attempt: 4, random: 0)), 8, accuracy: 1e-9)
        XCTAssertEqual(seconds(policy.delay(attempt: 5, random: 0)), 10, accuracy: 1e-9)
        // No shift past 63 bits, no overflow.
        XCTAssertEqual(seconds(policy.delay(attempt: 64, random: 1)), 10, accuracy: 1e-9)
        XCTAssertEqual(seconds(policy.delay(attempt: Int.max, random: -1)), 10, accuracy: 1e-9)
    }

    func testJitterScalesByTheGivenFraction() {
        let policy = ReconnectPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(60), jitter: 0.2)
        XCTAssertEqual(seconds(policy.delay(attempt: 3, random: 1)), 4.8, accuracy: 1e-9)
        XCTAssertEqual(seconds(policy.delay(attempt: 3, random: -1)), 3.2, accuracy: 1e-9)
        XCTAssertEqual(seconds(policy.delay(attempt: 3, random: 0.5)), 4.4, accuracy: 1e-9)
        // Jitter applies after the cap, so capped delays spread around the maximum rather than all landing on it.
        XCTAssertEqual(seconds(policy.delay(attempt: 30, random: 1)), 72, accuracy: 1e-9)
        XCTAssertEqual(seconds(policy.delay(attempt: 30, random: -1)), 48, accuracy: 1e-9)
    }

    func testDefaultRandomStaysInsideTheJitterBounds() {
        let policy = ReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(5), jitter: 0.25)
        var seen: Set<Int> = []
        for attempt in 1...10 {
            let base = min(0.1 * Double(1 << (attempt - 1)), 5)
            for _ in 0..<200 {
                let delay = seconds(policy.delay(attempt: attempt))
                XCTAssertGreaterThanOrEqual(delay, base * 0.75 - 1e-9)
                XCTAssertLessThanOrEqual(delay, base * 1.25 + 1e-9)
                seen.insert(Int(delay / base * 100))
            }
        }
        XCTAssertGreaterThan(seen.count, 10, "the default random source really varies the delay")
    }
}
