import Dashboard
import Glibc
import NIOCore
import XCTest

@testable import DashboardApp

/// The UI loop's pacing, batching and skipping, on a scripted terminal and a manual clock.
final class DashboardLoopTests: XCTestCase {
    let clock = ManualClock()
    lazy var terminal = ScriptedTerminal(clock: clock)
    var state = DashboardState()
    var performed: [DashboardCommand] = []

    func loop(_ adjust: (inout DashboardLoop) -> Void = { _ in }) -> DashboardLoop {
        var loop = DashboardLoop()
        loop.now = { [clock] in clock.now() }
        adjust(&loop)
        return loop
    }

    func run(_ loop: DashboardLoop, queue: EventQueue) -> DashboardLoopExit {
        loop.run(terminal: terminal, state: &state, theme: .monochrome, queue: queue) { performed.append($0) }
    }

    static func message(_ number: Int) -> DashboardEvent {
        .message(ReceivedMessage(topic: "t/\(number % 10)", payload: ByteBuffer(string: "\(number)"), receivedAt: 0))
    }

    func testTheFirstFrameGoesOutBeforeAnyWait() {
        terminal.quitAtRead = 0
        XCTAssertEqual(run(loop(), queue: EventQueue()), .quit)
        XCTAssertEqual(terminal.calls.first, .draw(messages: 0))
    }

    func testNothingChangedMeansNoFrameAndFullKeyWaits() {
        terminal.quitAtRead = 20
        // Without ticks nothing changes while the user does nothing.
        _ = run(loop { $0.tickInterval = .infinity }, queue: EventQueue())
        XCTAssertEqual(terminal.frames.count, 1, "only the first frame: \(terminal.calls)")
        XCTAssertEqual(terminal.readTimeouts.count, 21)
        XCTAssertEqual(Set(terminal.readTimeouts), [25], "idle, every read waits the whole key timeout")
    }

    func testTicksRedrawEveryTickInterval() {
        terminal.quitAtRead = 80 // 80 waits of 125 ms: ten seconds, forty ticks
        _ = run(loop { $0.keyTimeoutMilliseconds = 125; $0.tickInterval = 0.25 }, queue: EventQueue())
        XCTAssertEqual(terminal.frames.count, 41, "the first frame and one per tick: \(terminal.frameTimes)")
        let gaps = Set(zip(terminal.frameTimes, terminal.frameTimes.dropFirst()).map { $1 - $0 })
        XCTAssertEqual(gaps, [0.25])
    }

    /// In a flood frames keep coming, at most one per frame interval, and no message is lost (fewer than
    /// 10 000 messages, which the status bar shows exactly).
    func testAFloodIsDrawnAtTheFrameRateAndFullyApplied() {
        let queue = EventQueue()
        terminal.quitAtRead = 1_000
        var pushed = 0
        terminal.input = { read in
            if read < 400 { for _ in 0..<20 { queue.push(Self.message(pushed)); pushed += 1 } }
            return []
        }
        let loop = loop()
        _ = run(loop, queue: queue)
        XCTAssertEqual(state.totalMessages, 8_000)
        XCTAssertEqual(terminal.frames.last, 8_000, "the last frame shows every message")
        let gaps = zip(terminal.frameTimes, terminal.frameTimes.dropFirst()).map { $1 - $0 }
        XCTAssertGreaterThanOrEqual(gaps.min() ?? 0, loop.frameInterval - 1e-9, "never faster than the frame rate")
        XCTAssertGreaterThan(terminal.frames.filter { $0 < 8_000 }.count, 15, "frames keep coming during the flood: \(terminal.frames)")
        XCTAssertEqual(state.skippedMessages, 0)
    }

    /// A big batch is applied in slices of the apply budget: between slices the loop reads keys without
    /// waiting and may draw, and the rest stays queued in order.
    func testTheApplyBudgetSlicesABigBatch() {
        let queue = EventQueue()
        for number in 0..<3_000 { queue.push(Self.message(number)) }
        clock.step = 0.02 // every look at the clock costs 20 ms: the 30 ms budget ends at the 1024th message
        terminal.quitAtRead = 10
        _ = run(loop(), queue: queue)
        XCTAssertEqual(state.totalMessages, 3_000)
        XCTAssertEqual(terminal.readTimeouts.prefix(3), [25, 0, 0], "keys are read without waiting while a batch is left")
        XCTAssertTrue(terminal.frames.contains(1_024), "a frame between slices: \(terminal.frames)")
    }

    func testWithoutABudgetABatchIsAppliedAtOnce() {
        let queue = EventQueue()
        for number in 0..<3_000 { queue.push(Self.message(number)) }
        clock.step = 0.02
        terminal.quitAtRead = 10
        _ = run(loop { $0.applyBudget = .infinity }, queue: queue)
        XCTAssertFalse(terminal.readTimeouts.contains(0), "\(terminal.readTimeouts)")
        XCTAssertFalse(terminal.frames.contains { $0 > 0 && $0 < 3_000 }, "\(terminal.frames)")
    }

    /// 3 000 messages wait and the user presses ↓ at the second read (`waits`: the terminal says so between
    /// slices of the batch). Returns what followed that read: the frame that shows the key.
    private func frameAfterAKeyDuringABatch(clockStep: Double, waits: Bool) -> ScriptedTerminal.Call? {
        let queue = EventQueue()
        for number in 0..<3_000 { queue.push(Self.message(number)) }
        clock.step = clockStep
        terminal.input = { read in read == 1 ? [.key(.down)] : [] }
        terminal.inputWaitsAt = waits ? 1 : nil
        terminal.quitAtRead = 10
        _ = run(loop(), queue: queue)
        XCTAssertEqual(state.totalMessages, 3_000)
        let calls = terminal.calls
        let keyRead = calls.indices.filter { if case .read = calls[$0] { true } else { false } }[1]
        return calls.indices.contains(keyRead + 1) ? calls[keyRead + 1] : nil
    }

    /// A key is drawn at once, before the rest of a batch is applied: here after the first slice the budget allows
    /// (every look at the clock costs 20 ms, so the 30 ms budget ends at the 1024th message).
    func testAKeyIsDrawnBeforeTheRestOfTheBatch() {
        XCTAssertEqual(frameAfterAKeyDuringABatch(clockStep: 0.02, waits: false), .draw(messages: 1_024), "\(terminal.calls)")
    }

    /// A key that comes while a batch is applied is read at the next slice of 512 messages, not after the batch.
    /// Without the check the budget (30 ms, which this clock never reaches in the batch) let all 3 000 go first.
    func testAKeyThatComesDuringABatchIsReadAtTheNextSlice() {
        XCTAssertEqual(frameAfterAKeyDuringABatch(clockStep: 0.001, waits: true), .draw(messages: 512), "\(terminal.calls)")
    }

    /// Messages the queue had no room for reach the state as one count, with the kept ones.
    func testMessagesTheQueueSkippedAreCounted() {
        let queue = EventQueue(capacity: 10)
        for number in 0..<25 { queue.push(Self.message(number)) }
        terminal.quitAtRead = 3
        _ = run(loop(), queue: queue)
        XCTAssertEqual(state.totalMessages, 10)
        XCTAssertEqual(state.skippedMessages, 15)
    }

    func testAStopSignalEndsTheLoop() {
        terminal.input = { [terminal] read in
            if read == 2 { terminal.stopSignal = SIGTERM }
            return []
        }
        XCTAssertEqual(run(loop(), queue: EventQueue()), .signal(SIGTERM))
        XCTAssertEqual(terminal.readTimeouts.count, 3)
    }

    func testQuitEndsTheLoopAndCommandsArePerformed() {
        terminal.quitAtRead = 1
        XCTAssertEqual(run(loop(), queue: EventQueue()), .quit)
        XCTAssertEqual(performed, [], "quit itself is not handed on")
    }

    /// `y` reaches the terminal (which writes OSC 52), not the app's `perform`.
    func testCopyGoesToTheTerminal() {
        let queue = EventQueue()
        queue.push(.message(ReceivedMessage(topic: "a", payload: ByteBuffer(string: "v1"), receivedAt: 0)))
        terminal.input = { read in read == 2 ? [.key(.character("y"))] : [] }
        terminal.quitAtRead = 3
        XCTAssertEqual(run(loop(), queue: queue), .quit)
        XCTAssertTrue(terminal.calls.contains(.clipboard(Array("v1".utf8))))
        XCTAssertEqual(performed, [])
    }

    /// A frame that is due shortens the key wait, so a change is drawn on time.
    func testADueFrameShortensTheKeyWait() {
        let queue = EventQueue()
        terminal.input = { read in
            guard read == 0 else { return [] }
            queue.push(Self.message(0))
            return [.key(.down)]
        }
        terminal.quitAtRead = 4
        _ = run(loop { $0.keyTimeoutMilliseconds = 500; $0.frameInterval = 0.25; $0.tickInterval = .infinity }, queue: queue)
        // The key at read 0 is drawn at once; the message applied right after waits for the frame
        // interval, so read 1 waits 250 ms instead of 500, then the message is drawn.
        XCTAssertEqual(terminal.readTimeouts, [500, 250, 500, 500, 500])
        XCTAssertEqual(terminal.frames, [0, 0, 1])
    }
}
