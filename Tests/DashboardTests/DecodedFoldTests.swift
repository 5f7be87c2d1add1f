import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard
import PayloadDecoders

/// The decoded detail view folds: Enter or Space on a map or list (the detail pane focused), kept per topic.
final class DecodedFoldTests: XCTestCase {
    private let payload = #"{"a":{"b":1,"c":[1,2]},"d":"x"}"#

    private func state() throws -> DashboardState {
        var state = try Fixture.decoding([(filter: "f/#", chain: "base64 | json")], height: 40)
        send(&state, "f/a", payload)
        send(&state, "f/b", payload)
        // The first topic with a message is selected from the start: f/a; then the detail pane.
        _ = Fixture.press(&state, .tab, .tab)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, "f/a")
        XCTAssertEqual(state.focus, .detail)
        return state
    }

    private func send(_ state: inout DashboardState, _ topic: String, _ json: String, at offset: Double = 0) {
        let encoded = Array(Data(json.utf8).base64EncodedString().utf8)
        _ = update(&state, .message(ReceivedMessage(topic: topic, payload: ByteBuffer(bytes: encoded), qos: .atMostOnce, retain: false,
                                                    receivedAt: Fixture.t0 + offset)))
    }

    /// The payload section of the detail view, trailing spaces cut; `*` marks the highlighted rows.
    private func payloadLines(_ state: DashboardState, rows: Int = 12) -> [String] {
        var buffer = Buffer(width: 40, height: 30)
        state.selectedDetailView().render(in: buffer.area, buffer: &buffer, theme: .monochrome)
        let lines = buffer.lines()
        let start = lines.firstIndex { $0.hasPrefix("─ Payload") }!
        return (start..<min(lines.count, start + rows)).map { y in
            var line = Substring(lines[y])
            while line.last == " " { line.removeLast() }
            let highlighted = buffer[0, y].style == Theme.monochrome.style(.selection)
            return (highlighted ? "*" : " ") + line
        }
    }

    func testEnterFoldsTheMapUnderTheCursorAndTheFoldStaysWithTheTopic() throws {
        var state = try state()
        XCTAssertEqual(payloadLines(state, rows: 11), [
            " ─ Payload (base64 | json) ──────────────",
            "*{",
            "   \"a\": {",
            "     \"b\": 1,",
            "     \"c\": [",
            "       1,",
            "       2",
            "     ]",
            "   },",
            "   \"d\": \"x\"",
            " }",
        ])
        _ = Fixture.press(&state, .down, .enter)
        XCTAssertEqual(payloadLines(state, rows: 5), [
            " ─ Payload (base64 | json) ──────────────",
            " {",
            "*  \"a\": {… 2 keys},",
            "   \"d\": \"x\"",
            " }",
        ])
        send(&state, "f/a", #"{"a":{"b":2,"c":[]},"d":"y"}"#, at: 1)
        XCTAssertEqual(payloadLines(state, rows: 3).last, "*  \"a\": {… 2 keys},", "the next message shows folded too")
        _ = Fixture.press(&state, .up, .character(" "))
        XCTAssertEqual(payloadLines(state, rows: 3)[1...], ["*{… 2 keys}", " "])
        _ = Fixture.press(&state, .tab, .down)  // the tree: f/b has no folds of its own
        XCTAssertEqual(payloadLines(state, rows: 3)[2], "   \"a\": {")
        XCTAssertEqual(state.decodedFolds, ["f/a": ["", "a"]])
    }

    func testListsFoldAndTheCursorStaysOnTheOutline() throws {
        var state = try state()
        _ = Fixture.press(&state, .down, .down, .down, .enter)
        XCTAssertEqual(payloadLines(state, rows: 6)[4...], ["*    \"c\": [… 2 items]", "   },"])
        for _ in 0..<20 { _ = Fixture.press(&state, .down) }
        XCTAssertEqual(state.detailScroll, 6, "the last of the 7 rows")
        XCTAssertEqual(payloadLines(state, rows: 8).last, "*}")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.decodedFolds, ["f/a": ["a.c"]], "Enter on a closing line folds nothing")
        _ = Fixture.press(&state, .up)
        XCTAssertEqual(state.detailScroll, 5)
    }

    func testWithoutFocusNoRowIsHighlighted() throws {
        var state = try state()
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(state.focus, .tree)
        XCTAssertFalse(payloadLines(state).contains { $0.hasPrefix("*") })
    }
}
