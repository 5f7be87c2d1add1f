import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard

final class ModelTests: XCTestCase {
    private func message(_ topic: String, _ payload: String, at time: Double = 0) -> ReceivedMessage {
        Fixture.message(topic, payload, at: time)
    }

    func testLogRingIsBounded() {
        var log = MessageLog(capacity: 5)
        for i in 0..<12 { log.append(message("t/\(i)", "\(i)")) }
        XCTAssertEqual(log.total, 12)
        XCTAssertEqual(log.count, 5)
        XCTAssertEqual(log.oldest, 7)
        XCTAssertEqual(log.window(rows: 3).map { log.entry($0).topic }, ["t/9", "t/10", "t/11"])
        XCTAssertEqual(log.window(rows: 10).map { log.entry($0).topic }, ["t/7", "t/8", "t/9", "t/10", "t/11"])
    }

    func testLogHoldsStillAndCountsArrivals() {
        var log = MessageLog(capacity: 100)
        for i in 0..<10 { log.append(message("t/\(i)", "")) }
        log.scroll(by: -2, rows: 3)
        XCTAssertFalse(log.isFollowing)
        let held = log.window(rows: 3)
        XCTAssertEqual(held, [5, 6, 7])
        for i in 10..<15 { log.append(message("t/\(i)", "")) }
        XCTAssertEqual(log.window(rows: 3), held, "a held view does not move")
        XCTAssertEqual(log.newSinceHold, 5)
        log.scroll(by: 100, rows: 3)
        XCTAssertTrue(log.isFollowing)
        XCTAssertEqual(log.window(rows: 3), [12, 13, 14])
        XCTAssertEqual(log.newSinceHold, 0)
        log.scrollToOldest(rows: 3)
        XCTAssertEqual(log.window(rows: 3), [0, 1, 2])
    }

    func testHeldViewSurvivesTheRingMovingPast() {
        var log = MessageLog(capacity: 5)
        for i in 0..<5 { log.append(message("t/\(i)", "")) }
        log.scroll(by: -1, rows: 2)
        for i in 5..<20 { log.append(message("t/\(i)", "")) }
        XCTAssertEqual(log.window(rows: 2), [15, 16], "held entries that fell out give way to the oldest kept")
        XCTAssertEqual(log.newSinceHold, 15)
    }

    func testLogFilter() {
        var log = MessageLog(capacity: 10)
        for topic in ["a/x", "b/x", "a/y", "$SYS/x"] { log.append(message(topic, "")) }
        log.setFilter("a/#")
        XCTAssertEqual(log.window(rows: 10).map { log.entry($0).topic }, ["a/x", "a/y"])
        log.append(message("a/z", ""))
        log.append(message("c", ""))
        XCTAssertEqual(log.window(rows: 10).map { log.entry($0).topic }, ["a/x", "a/y", "a/z"])
        log.setFilter("#")
        XCTAssertEqual(log.window(rows: 10).count, 5, "# does not match $SYS")
        log.setFilter(nil)
        XCTAssertEqual(log.window(rows: 10).count, 6)
    }

    func testPayloadIsCappedWhenStoredAndKeepsItsSize() {
        var settings = DashboardSettings()
        settings.maximumStoredPayload = 16
        var state = DashboardState(settings: settings)
        let big = ReceivedMessage(topic: "big", payload: ByteBuffer(repeating: 0x41, count: 1_000_000), receivedAt: 1)
        _ = update(&state, .message(big))
        let stored = state.tree.nodes[state.tree.node("big")!].last!
        XCTAssertEqual(stored.payload.readableBytes, 16)
        XCTAssertEqual(stored.size, 1_000_000)
        XCTAssertTrue(stored.isTruncated)
        XCTAssertEqual(state.log.entry(0).payload.readableBytes, 16)
        XCTAssertEqual(stored.payload.capacity < 1_000_000, true, "a copy, not a slice of the big buffer")
    }

    func testTreeCountsHistoryAndRetained() {
        var tree = TopicTree(historyCapacity: 3)
        for i in 0..<5 { tree.apply(message("a/b/c", "\(i)", at: Double(i))) }
        tree.apply(Fixture.message("a/d", "x", retain: true, at: 10))
        let a = tree.node("a")!, c = tree.node("a/b/c")!, d = tree.node("a/d")!
        XCTAssertEqual(tree.nodes[a].count, 0)
        XCTAssertEqual(tree.nodes[a].subtreeCount, 6)
        XCTAssertEqual(tree.nodes[c].count, 5)
        XCTAssertEqual(tree.topicCount, 2)
        XCTAssertEqual(tree.nodes[a].lastTime, Fixture.t0 + 10)
        XCTAssertEqual(tree.history(of: c).map { String(buffer: $0.payload) }, ["2", "3", "4"])
        XCTAssertTrue(tree.nodes[d].retained)
        tree.apply(message("a/d", "y", at: 11))
        XCTAssertTrue(tree.nodes[d].retained, "a live message leaves the retained marker")
        XCTAssertEqual(tree.nodes[d].changedAt, Fixture.t0 + 11)
        tree.apply(message("a/d", "", at: 12))
        XCTAssertFalse(tree.nodes[d].retained, "an empty payload clears it")
        XCTAssertEqual(tree.retainedTopics(under: a), [])
    }

    func testLastMessageWithAndWithoutHistory() {
        for capacity in [0, 1, 3] {
            var tree = TopicTree(historyCapacity: capacity)
            for i in 0..<5 { tree.apply(message("x", "\(i)", at: Double(i))) }
            let node = tree.nodes[tree.node("x")!]
            XCTAssertEqual(node.last.map { String(buffer: $0.payload) }, "4", "history \(capacity)")
            XCTAssertEqual(node.last?.topic, "x")
            XCTAssertEqual(node.changedAt, Fixture.t0 + 4)
            XCTAssertEqual(tree.history(of: tree.node("x")!).count, capacity)
        }
    }

    func testNamesSortNaturally() {
        let names = ["sensor10", "sensor2", "Sensor1", "sensor02", "a", "", "sensor", "温度", "b1c", "b01c"]
        XCTAssertEqual(names.sorted(by: NaturalOrder.less),
                       ["", "Sensor1", "a", "b1c", "b01c", "sensor", "sensor2", "sensor02", "sensor10", "温度"])
    }

    func testTopicsWithEmptyLevelsAndUnicode() {
        var tree = TopicTree(historyCapacity: 1)
        tree.apply(message("/leading", "1"))
        tree.apply(message("a//b", "2"))
        tree.apply(message("温度/室内", "3"))
        XCTAssertEqual(tree.nodes[tree.node("/leading")!].depth, 2)
        XCTAssertEqual(tree.nodes[tree.node("a//b")!].parent, tree.node("a/")!)
        XCTAssertEqual(tree.nodes[tree.node("温度/室内")!].name, "室内")
    }

    func testRateAveragesTheLastWholeSeconds() {
        var rate = MessageRate()
        for i in 0..<100 { rate.record(at: 100 + Double(i) / 20) }  // 20 per second for 5 s
        XCTAssertEqual(rate.perSecond(now: 105.5), 20)
        XCTAssertEqual(rate.perSecond(now: 200), 0)
    }

    func testSystemTopicsStayOutOfTheLogUntilShown() {
        var state = Fixture.house()
        XCTAssertEqual(state.log.total, 7)
        _ = Fixture.press(&state, .character("$"))
        _ = update(&state, .message(Fixture.message("$SYS/broker/uptime", "124 seconds", at: 6)))
        XCTAssertEqual(state.log.total, 8)
    }
}
