import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard

/// `T` (traffic ranking) and `t` (timestamps), on a manual clock.
final class TrafficTests: XCTestCase {
    private let t0 = Fixture.t0

    private func send(_ state: inout DashboardState, _ topic: String, bytes: Int, at time: Double) {
        _ = update(&state, .message(ReceivedMessage(topic: topic, payload: ByteBuffer(repeating: 0x41, count: bytes), receivedAt: time)))
    }

    private func topic(_ state: DashboardState, _ row: TrafficRow) -> String {
        state.tree.nodes[row.node].topic + (row.isSubtree ? "/#" : "")
    }

    /// Before `T`: a burst that must not count. After: 20 messages to a/x (10 B), 5 to a/y (100 B), 5 to b in 10 s.
    private func measuredState() -> DashboardState {
        var state = Fixture.house(width: 120, height: 40)
        for i in 0..<50 { send(&state, "a/x", bytes: 999, at: t0 + 5 + Double(i) / 100) }
        _ = update(&state, .tick(now: t0 + 6))
        _ = Fixture.press(&state, .character("T"))
        XCTAssertTrue(state.traffic.isOpen)
        for second in 0..<10 {
            let time = t0 + 6 + Double(second)
            send(&state, "a/x", bytes: 10, at: time + 0.1)
            send(&state, "a/x", bytes: 10, at: time + 0.6)
            if second % 2 == 0 {
                send(&state, "a/y", bytes: 100, at: time + 0.2)
                send(&state, "b", bytes: 4, at: time + 0.3)
            }
            _ = update(&state, .tick(now: time + 1))
        }
        return state
    }

    func testRankingCountsOnlyTheWindowAndSumsSubtrees() {
        let state = measuredState()
        let ranking = state.trafficRanking
        XCTAssertEqual(ranking.span, 10, accuracy: 1e-9)
        XCTAssertEqual(ranking.totalMessages, 30)
        XCTAssertEqual(ranking.rows.map { topic(state, $0) }, ["a/#", "a/x", "a/y", "b"])
        let subtree = ranking.rows[0]
        XCTAssertEqual(subtree.messages, 25)
        XCTAssertEqual(subtree.bytes, 20 * 10 + 5 * 100)
        XCTAssertEqual(subtree.messagesPerSecond, 2.5, accuracy: 1e-9)
        XCTAssertEqual(subtree.share, 25.0 / 30, accuracy: 1e-9)
        // The largest payload is the largest ever seen, here from the burst before the view opened.
        XCTAssertEqual(subtree.largestPayload, 999)
        let x = ranking.rows[1]
        XCTAssertEqual(x.messagesPerSecond, 2, accuracy: 1e-9)
        XCTAssertEqual(x.bytesPerSecond, 20, accuracy: 1e-9)
        XCTAssertEqual(x.meanGap!, 0.5, accuracy: 1e-9)
        XCTAssertEqual(ranking.rows[3].meanGap!, 2, accuracy: 1e-9)
    }

    /// Equal traffic: ordered by topic as `String` orders them (prefixes first, non-ASCII after ASCII), a
    /// topic's own row before its subtree's.
    func testTiesAreOrderedByTopicWithTheTopicBeforeItsSubtree() {
        var state = Fixture.house(width: 120, height: 40)
        _ = update(&state, .tick(now: t0 + 5))
        _ = Fixture.press(&state, .character("T"))
        let topics = ["zeta", "ab", "a", "a/b", "é/x", "e/x", "Z", "a b"]
        for topic in topics { send(&state, topic, bytes: 1, at: t0 + 5.5) }
        _ = update(&state, .tick(now: t0 + 6))
        let ranking = state.trafficRanking
        let single = ranking.rows.filter { $0.messages == 1 }.map { topic(state, $0) }
        XCTAssertEqual(single, ["Z", "a", "a b", "a/b", "ab", "e/#", "e/x", "zeta", "é/#", "é/x"])
        XCTAssertEqual(single.filter { !$0.hasSuffix("/#") }, topics.sorted())
        XCTAssertEqual(ranking.rows.first.map { topic(state, $0) }, "a/#", "two messages below a: first")
    }

    func testBytesMeasureReordersAndSharesByBytes() {
        var state = measuredState()
        _ = Fixture.press(&state, .character("b"))
        let ranking = state.trafficRanking
        XCTAssertEqual(ranking.rows.map { topic(state, $0) }, ["a/#", "a/y", "a/x", "b"])
        XCTAssertEqual(ranking.rows[1].share, 500.0 / 720, accuracy: 1e-9)
    }

    func testWindowSlidesAndCycles() {
        var state = measuredState()
        // Five quiet seconds: the 10 s window keeps the last five seconds of traffic only.
        for second in 1...5 { _ = update(&state, .tick(now: t0 + 16 + Double(second))) }
        let ten = state.trafficRanking
        XCTAssertEqual(ten.span, 10, accuracy: 1e-9)
        XCTAssertEqual(ten.rows.first { topic(state, $0) == "a/x" }?.messages, 10)
        _ = Fixture.press(&state, .character("w"))
        XCTAssertEqual(state.traffic.window, .oneMinute)
        // A minute is not measured yet: everything since the view opened, and the title says so.
        XCTAssertEqual(state.trafficRanking.span, 15, accuracy: 1e-9)
        XCTAssertEqual(state.trafficRanking.totalMessages, 30)
        XCTAssertTrue(Fixture.screen(state)[0].contains("Traffic by msgs/s over 1 min (measured 15 s so far)"))
        _ = Fixture.press(&state, .character("w"), .character("w"))
        XCTAssertEqual(state.traffic.window, .tenSeconds)
    }

    func testTheRankingChangesOnlyWithANewSnapshot() {
        var state = measuredState()
        let before = state.trafficRanking
        send(&state, "b", bytes: 4, at: t0 + 16.5)
        XCTAssertEqual(state.trafficRanking, before, "between snapshots, frames reuse the ranking")
        _ = update(&state, .tick(now: t0 + 16.6))
        XCTAssertEqual(state.trafficRanking, before, "less than a second: no new snapshot")
        _ = update(&state, .tick(now: t0 + 17))
        XCTAssertEqual(state.trafficRanking.rows.first { topic(state, $0) == "b" }?.messages, 5,
                       "the new second counts the new message (and the window dropped the first second's)")
        XCTAssertNotEqual(state.trafficRanking, before)
    }

    func testSnapshotsStayBoundedOverLongRuns() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("T"))
        for tick in 0..<(20 * 60 * 10) { _ = update(&state, .tick(now: t0 + 5 + Double(tick) / 10)) }
        XCTAssertLessThanOrEqual(state.traffic.snapshots.snapshots.count, 45)
        let now = state.now
        // Every window still finds a baseline at least that old.
        for window in TrafficWindow.allCases {
            let baseline = state.traffic.snapshots.baseline(for: window, now: now)!
            XCTAssertGreaterThanOrEqual(now - baseline.time, window.seconds)
            XCTAssertLessThan(now - baseline.time, window.seconds + 21)
        }
    }

    func testSnapshotsAreTakenOnlyWhileOpen() {
        var state = Fixture.house()
        for tick in 0..<50 { _ = update(&state, .tick(now: t0 + 5 + Double(tick))) }
        XCTAssertTrue(state.traffic.snapshots.snapshots.isEmpty)
        _ = Fixture.press(&state, .character("T"), .character("T"))
        XCTAssertFalse(state.traffic.isOpen)
        _ = update(&state, .tick(now: t0 + 100))
        XCTAssertEqual(state.traffic.snapshots.snapshots.count, 1)
    }

    /// The whole screen, the detail pane included (`Fixture.screen` blanks it).
    private func fullScreen(_ state: DashboardState) -> [String] {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: .monochrome)
        return buffer.lines()
    }

    func testScreenShowsTheRankingTable() {
        let state = measuredState()
        let screen = fullScreen(state)
        XCTAssertEqual(screen[1], "│ total 3.0 msg/s  72 B/s" + String(repeating: " ", count: 94) + "│")
        XCTAssertTrue(screen[2].hasPrefix("│ topic "))
        XCTAssertTrue(screen[2].hasSuffix("msgs/s    bytes/s  share  largest  mean gap │"))
        XCTAssertTrue(screen[3].hasPrefix("│ a/# "))
        XCTAssertTrue(screen[3].hasSuffix("2.5       70 B  83.3%    999 B     400ms │"), screen[3])
        XCTAssertTrue(screen[6].hasSuffix("0.5        2 B  16.7%      4 B      2.0s │"), screen[6])
    }

    func testEnterSelectsTheTopicInTheTreeAndRevealsIt() {
        var state = measuredState()
        // Fold `a`, so that the jump has to open it again.
        state.setExpanded(state.tree.node("a")!, false)
        _ = Fixture.press(&state, .down, .down, .enter)
        XCTAssertFalse(state.traffic.isOpen)
        XCTAssertEqual(state.focus, .tree)
        XCTAssertEqual(state.selection, state.tree.node("a/y"))
        XCTAssertNotNil(state.selectedRow)
    }

    func testEscapeClosesAndQQuits() {
        var state = measuredState()
        _ = Fixture.press(&state, .escape)
        XCTAssertFalse(state.traffic.isOpen)
        _ = Fixture.press(&state, .character("T"))
        XCTAssertEqual(Fixture.press(&state, .character("q")), [.quit])
    }

    // MARK: t

    func testTimestampsCycleInTreeAndLog() {
        var state = Fixture.house(width: 120, height: 40)
        send(&state, "garage/door", bytes: 3, at: t0 + 4.25)
        _ = update(&state, .tick(now: t0 + 70))
        func row(_ text: String) -> String { Fixture.screen(state).first { $0.contains(text) } ?? "" }
        XCTAssertTrue(row("  door   ").contains(" 1m"), row("  door   "))
        XCTAssertTrue(Fixture.screen(state).contains { $0.hasPrefix("│22:13:24 garage/door ") })
        _ = Fixture.press(&state, .character("t"))
        XCTAssertEqual(state.notice, "times: clock")
        XCTAssertTrue(row("  door   ").contains(" 22:13:24││"), row("  door   "))
        _ = Fixture.press(&state, .character("t"))
        XCTAssertTrue(row("  door   ").contains(" 22:13:24.250││"), row("  door   "))
        XCTAssertTrue(Fixture.screen(state).contains { $0.contains("22:13:24.250 garage/door") })
        _ = Fixture.press(&state, .character("t"))
        XCTAssertTrue(Fixture.screen(state).contains { $0.hasPrefix("│1m garage/door") })
        _ = Fixture.press(&state, .character("t"))
        XCTAssertEqual(state.timestamps, .clock)
    }

    func testClockWithMillis() {
        XCTAssertEqual(Format.clockMillis(t0 + 0.007), "22:13:20.007")
        XCTAssertEqual(Format.clockMillis(t0 + 59.999), "22:14:19.999")
        XCTAssertEqual(Format.clockMillis(t0 + 3.25), "22:13:23.250")
    }
}
