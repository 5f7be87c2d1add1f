import MQTTCore
import XCTest

@testable import Dashboard

/// `c`: the connection picker over the profiles, and the fresh start when the app has switched.
final class ConnectionPickerTests: XCTestCase {
    private let choices = [
        ConnectionChoice(name: "home", address: "mqtt://192.168.1.2:1883", user: "iot"),
        ConnectionChoice(name: "work", address: "mqtts://broker.example:8883", user: nil),
    ]

    private func house() -> DashboardState {
        var state = Fixture.house()
        state.settings.connectionChoices = choices
        return state
    }

    func testCOpensThePickerAndEnterAsksForTheChosenProfile() {
        var state = house()
        let topics = state.tree.topicCount
        XCTAssertEqual(Fixture.press(&state, .character("c")), [])
        XCTAssertEqual(state.connectionPicker, ConnectionPicker(choices: choices))
        _ = Fixture.press(&state, .down)
        XCTAssertEqual(state.connectionPicker?.selected, 1)
        _ = Fixture.press(&state, .down)
        XCTAssertEqual(state.connectionPicker?.selected, 0, "wraps")
        _ = Fixture.press(&state, .character("j"))
        XCTAssertEqual(Fixture.press(&state, .enter), [.switchConnection(profile: "work")])
        XCTAssertNil(state.connectionPicker)
        XCTAssertEqual(state.notice, "switching to work ...")
        XCTAssertEqual(state.tree.topicCount, topics, "the old broker's tree stays until the app has switched")
    }

    func testEscapeClosesWithoutSwitching() {
        var state = house()
        _ = Fixture.press(&state, .character("c"))
        XCTAssertEqual(Fixture.press(&state, .escape), [])
        XCTAssertNil(state.connectionPicker)
        XCTAssertFalse(state.shouldQuit)
        XCTAssertEqual(Fixture.press(&state, .character("q")), [.quit], "keys go back to the panes")
    }

    func testWithoutProfilesCSaysWhy() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("c"))
        XCTAssertNil(state.connectionPicker)
        XCTAssertTrue(state.notice?.hasPrefix("no profiles to switch to") == true, state.notice ?? "")
        state.settings.connectionChoicesProblem = "/x/config.toml:3: syntax error"
        _ = Fixture.press(&state, .character("c"))
        XCTAssertEqual(state.notice, "no profiles: /x/config.toml:3: syntax error")
    }

    func testARunningRecordingStopsBeforeTheSwitch() {
        var state = house()
        _ = update(&state, .recording(.running(RecordingStatus(path: "r.jsonl"))))
        _ = Fixture.press(&state, .character("c"), .down)
        XCTAssertEqual(Fixture.press(&state, .enter), [.stopRecording, .switchConnection(profile: "work")])
    }

    func testSwitchedStartsAFreshTreeAndLogAndNamesTheBroker() {
        var state = house()
        _ = Fixture.press(&state, .down, .down)
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "temp")
        _ = Fixture.press(&state, .enter)
        XCTAssertNotNil(state.search)
        let subscriptions = [Subscription(filter: "office/#", qos: .atLeastOnce)]
        _ = update(&state, .connectionSwitch(.switched(SwitchedConnection(
            profile: "work", brokerURL: "work: mqtts://broker.example:8883", clientID: "mqdash-9", isV5: false,
            subscriptions: subscriptions))))
        XCTAssertEqual(state.tree.topicCount, 0)
        XCTAssertEqual(state.log.total, 0)
        XCTAssertNil(state.selection)
        XCTAssertNil(state.search)
        XCTAssertEqual(state.subscriptions, subscriptions)
        XCTAssertEqual(state.connection, .connecting)
        XCTAssertFalse(state.settings.isV5)
        XCTAssertEqual(state.notice, "switched to work")
        _ = update(&state, .connection(.connected))
        _ = update(&state, .message(Fixture.message("office/lamp", "on", at: 6)))
        XCTAssertEqual(state.tree.topicCount, 1)
        _ = Fixture.press(&state, .escape)  // a key clears the notice
        _ = update(&state, .resize(width: 120, height: 30))
        let status = Fixture.screen(state).last!
        XCTAssertTrue(status.contains("connected  work: mqtts://broker.example:8883"), status)
    }

    func testAFailedSwitchKeepsTheBrokerAndSaysWhy() {
        var state = house()
        let topics = state.tree.topicCount
        _ = update(&state, .connectionSwitch(.failed(profile: "home", reason: "password_command 'pass show x' failed")))
        XCTAssertEqual(state.tree.topicCount, topics)
        XCTAssertEqual(state.notice, "cannot switch to home: password_command 'pass show x' failed")
    }

    func testARecordingHasNoBrokerToSwitch() {
        var state = house()
        _ = update(&state, .connection(.file))
        _ = Fixture.press(&state, .character("c"))
        XCTAssertNil(state.connectionPicker)
        XCTAssertEqual(state.notice, "c switches brokers; this is a recording")
    }

    func testPickerScreen() {
        var state = house()
        _ = Fixture.press(&state, .character("c"), .down)
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: .monochrome)
        XCTAssertEqual(buffer[6, 11].style, Theme.monochrome.style(.selection), "work, the chosen row, is highlighted")
        XCTAssertEqual(buffer[6, 10].style, Theme.monochrome.style(.text))
        assertScreen(Array(Fixture.screen(state)[8...13]), """
        │ ┌ Connect to ───────────────────────────────────────────────── Esc closes ─┐ │
        │ │ now: mqtt://localhost:1883                                               │ │
        │ │ home  mqtt://192.168.1.2:1883      iot                                   │ │
        │ │ work  mqtts://broker.example:8883                                        │ │
        │ │                                                                          │ │
        │ │ ↑↓ select  Enter connects (a fresh tree)                                 │ │
        """)
    }
}
