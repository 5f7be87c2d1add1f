import MQTTCore
import XCTest

@testable import Dashboard

/// What the user sees when the UI fell behind (skipped messages) and when the broker refused a
/// subscription at run time.
final class BackpressureAndSubscriptionTests: XCTestCase {
    func testSkippedMessagesAreCountedAndShownInTheStatusBar() {
        var state = Fixture.house(width: 120, height: 30)
        XCTAssertFalse(Fixture.screen(state).last!.contains("skipped"))
        _ = update(&state, .messagesSkipped(1200))
        _ = update(&state, .messagesSkipped(34))
        XCTAssertEqual(state.skippedMessages, 1234)
        XCTAssertTrue(Fixture.screen(state).last!.contains("1234 messages skipped"), Fixture.screen(state).last!)
    }

    func testRefusedSubscribeIsShownAndLeavesTheList() {
        var state = Fixture.house(width: 120, height: 30)
        _ = Fixture.press(&state, .character("S"))
        _ = Fixture.press(&state, .character("a"))
        Fixture.type(&state, "secret/#")
        let commands = Fixture.press(&state, .enter)
        XCTAssertEqual(commands, [.subscribe(filter: "secret/#", qos: .atMostOnce)])
        XCTAssertTrue(state.subscriptions.contains { $0.filter == "secret/#" })

        _ = update(&state, .subscriptionFailed(SubscriptionFailure(filter: "secret/#", reason: ReasonCode(rawValue: 0x87).description)))
        XCTAssertFalse(state.subscriptions.contains { $0.filter == "secret/#" }, "a refused filter is not active")
        let expected = "subscribe secret/# failed: " + ReasonCode(rawValue: 0x87).description
        XCTAssertEqual(state.subscriptionEditor?.error, expected)
        XCTAssertEqual(state.notice, expected)
        XCTAssertTrue(Fixture.screen(state).joined(separator: "\n").contains("subscribe secret/# failed: Not authorized (0x87)"),
                      Fixture.screen(state).joined(separator: "\n"))

        _ = Fixture.press(&state, .escape)
        _ = update(&state, .subscriptionFailed(SubscriptionFailure(filter: "a/#", reason: ReasonCode(rawValue: 0x80).description)))
        XCTAssertTrue(Fixture.screen(state).last!.contains("subscribe a/# failed: " + ReasonCode(rawValue: 0x80).description),
                      Fixture.screen(state).last!)
    }

    func testFailedUnsubscribeIsShownOnTheStatusLine() {
        var state = Fixture.house(width: 120, height: 30)
        _ = update(&state, .subscriptionFailed(SubscriptionFailure(filter: "#", isUnsubscribe: true, reason: "not connected")))
        XCTAssertEqual(state.notice, "unsubscribe # failed: not connected")
        XCTAssertTrue(Fixture.screen(state).last!.contains("unsubscribe # failed: not connected"))
    }

    func testFailureTextIsMadeSafe() {
        var state = Fixture.house(width: 120, height: 30)
        _ = update(&state, .subscriptionFailed(SubscriptionFailure(filter: "a/\u{1b}[2J", reason: "bad\u{07}")))
        XCTAssertFalse(state.notice!.unicodeScalars.contains { $0.value < 0x20 }, state.notice!)
    }
}
