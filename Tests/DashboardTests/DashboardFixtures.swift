import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard
import PayloadDecoders

/// A fixed clock and a small house of topics, so every screen is the same on every run.
enum Fixture {
    /// 2023-11-14 22:13:20 UTC.
    static let t0 = 1_700_000_000.0

    static func message(_ topic: String, _ payload: String, retain: Bool = false, qos: QoS = .atMostOnce, at offset: Double = 0) -> ReceivedMessage {
        ReceivedMessage(topic: topic, payload: ByteBuffer(string: payload), qos: qos, retain: retain, receivedAt: t0 + offset)
    }

    static func settings() -> DashboardSettings {
        var settings = DashboardSettings()
        settings.brokerURL = "mqtt://localhost:1883"
        settings.clientID = "mqdash-test"
        settings.isV5 = true
        return settings
    }

    /// An empty dashboard of this size, connected, showing payloads through the decoder `rules` (filter, chain).
    static func decoding(_ rules: [(filter: String, chain: String)], width: Int = 100, height: Int = 30) throws -> DashboardState {
        var settings = settings()
        settings.decoders = try DecoderRules(rules: rules)
        var state = DashboardState(settings: settings)
        _ = update(&state, .resize(width: width, height: height))
        _ = update(&state, .connection(.connected))
        return state
    }

    /// The house: retained values first (as a broker sends them on subscribe), then live ones.
    static func house(width: Int = 80, height: Int = 24) -> DashboardState {
        var state = DashboardState(settings: settings())
        _ = update(&state, .resize(width: width, height: height))
        _ = update(&state, .connection(.connected))
        let messages = [
            message("livingroom/temp", "24.1", retain: true),
            message("livingroom/humidity", "45", retain: true),
            message("kitchen/fridge/door", "closed", retain: true),
            message("$SYS/broker/uptime", "123 seconds", retain: true),
            message("kitchen/temp", "21.5 °C", qos: .atLeastOnce, at: 1),
            message("garage/door", "open", at: 2),
            message("livingroom/lamp", "{\"on\":true}", at: 3),
            message("livingroom/temp", "24.3", at: 4),
        ]
        for message in messages { _ = update(&state, .message(message)) }
        _ = update(&state, .tick(now: t0 + 5))
        return state
    }

    /// The screen as text with trailing spaces removed, for literal comparisons. The inside of the
    /// detail pane is blanked (except under an overlay): `DetailView` has its own tests, and these
    /// screens should not change when it does.
    static func screen(_ state: DashboardState, theme: Theme = .monochrome) -> [String] {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: theme)
        let layout = ScreenLayout(width: state.screenWidth, height: state.screenHeight)
        if !layout.isTooSmall {
            let detail = layout.detail.inset(by: 1)
            let overlay = overlayArea(state, layout: layout)
            for y in detail.y..<detail.maxY {
                for x in detail.x..<detail.maxX where !(overlay?.contains(x: x, y: y) ?? false) { buffer[x, y] = .blank }
            }
        }
        return buffer.lines().map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }
    }

    static func press(_ state: inout DashboardState, _ keys: Key...) -> [DashboardCommand] {
        keys.flatMap { update(&state, .key($0)) }
    }

    static func type(_ state: inout DashboardState, _ text: String) {
        for character in text { _ = update(&state, .key(.character(character))) }
    }
}

/// Compares screens line by line so a failure names the first line that differs.
func assertScreen(_ actual: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if actual != expectedLines {
        print("---- actual screen ----\n" + actual.joined(separator: "\n") + "\n----")
    }
    XCTAssertEqual(actual.count, expectedLines.count, "line count", file: file, line: line)
    for (index, (a, e)) in zip(actual, expectedLines).enumerated() where a != e {
        XCTFail("line \(index): got\n\(a)\nexpected\n\(e)", file: file, line: line)
        return
    }
}
