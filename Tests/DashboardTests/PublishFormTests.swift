import MQTTCore
import XCTest

@testable import Dashboard

final class PublishFormTests: XCTestCase {
    /// A form row: the label column is 18 wide.
    private func row(_ label: String, _ value: String) -> String {
        label + String(repeating: " ", count: 18 - label.count) + value
    }

    private func type(_ text: String, into form: inout PublishFormState, isV5: Bool = false) {
        for character in text { XCTAssertEqual(form.handle(.character(character), isV5: isV5), PublishFormAction.none) }
    }

    private let hints = "Tab next field · Ctrl-S send · Ctrl-P/N history · Esc close"

    func testRendersTheV3Form() {
        var form = PublishFormState(topic: "livingroom/temp")
        XCTAssertEqual(form.focus, .payload, "a prefilled topic puts the cursor in the payload")
        type("24.1", into: &form)
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 60, height: 10), [
            "Publish (MQTT 3.1.1)",
            row("  Topic", "livingroom/temp"),
            row("▸ Payload", "24.1"),
            "",
            "",
            row("  QoS", "(•) 0  ( ) 1  ( ) 2"),
            row("  Retain", "[ ] retain"),
            "",
            "",
            hints,
        ])
    }

    func testRendersTheV5FormWithTheLastResult() {
        var form = PublishFormState(topic: "a/b")
        form.contentTypeEditor = FormEditor(text: "text/plain", multiline: false)
        form.userPropertiesEditor = FormEditor(text: "unit=C\nroom=kitchen", multiline: true)
        form.qos = .atLeastOnce
        form.retain = true
        form.focus = .contentType
        form.lastResult = PublishOutcome(topic: "a/b", acknowledgement: "PUBACK", reasonCode: .noMatchingSubscribers)
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: true), width: 60, height: 16), [
            "Publish (MQTT 5)",
            row("  Topic", "a/b"),
            row("  Payload", ""),
            "",
            "",
            row("  QoS", "( ) 0  (•) 1  ( ) 2"),
            row("  Retain", "[x] retain"),
            row("  Request", "[ ] request"),
            "",
            row("▸ Content type", "text/plain"),
            row("  User properties", "unit=C"),
            row("", "room=kitchen"),
            "",
            "Result: PUBACK for a/b · No matching subscribers (0x10)",
            "",
            hints,
        ].map { String($0.reversed().drop { $0 == " " }.reversed()) })
    }

    func testEditingThePayloadByCharacter() {
        var form = PublishFormState()
        XCTAssertEqual(form.focus, .topic)
        type("a/b", into: &form)
        XCTAssertEqual(form.topic, "a/b")
        _ = form.handle(.tab, isV5: false)
        XCTAssertEqual(form.focus, .payload)
        type("héllo", into: &form)
        _ = form.handle(.left, isV5: false)
        _ = form.handle(.left, isV5: false)
        type("X", into: &form)
        XCTAssertEqual(form.payload, "hélXlo")
        _ = form.handle(.enter, isV5: false)
        XCTAssertEqual(form.payload, "hélX\nlo", "Enter in the payload is a newline")
        _ = form.handle(.backspace, isV5: false)
        XCTAssertEqual(form.payload, "hélXlo", "backspace at a line start joins the lines")
        XCTAssertEqual(form.payloadEditor.column, 4)
        _ = form.handle(.end, isV5: false)
        XCTAssertEqual(form.payloadEditor.column, 6)
        _ = form.handle(.home, isV5: false)
        _ = form.handle(.delete, isV5: false)
        XCTAssertEqual(form.payload, "élXlo")
        _ = form.handle(.right, isV5: false)
        _ = form.handle(.enter, isV5: false)
        XCTAssertEqual(form.payload, "é\nlXlo")
        _ = form.handle(.up, isV5: false)
        XCTAssertEqual([form.payloadEditor.row, form.payloadEditor.column], [0, 0])
        _ = form.handle(.end, isV5: false)
        _ = form.handle(.down, isV5: false)
        XCTAssertEqual([form.payloadEditor.row, form.payloadEditor.column], [1, 1])
        _ = form.handle(.backspace, isV5: false)
        XCTAssertEqual(form.payload, "é\nXlo")
        _ = form.handle(.end, isV5: false)
        _ = form.handle(.delete, isV5: false)
        XCTAssertEqual(form.payload, "é\nXlo", "delete at the very end does nothing")
        _ = form.handle(.left, isV5: false)
        _ = form.handle(.left, isV5: false)
        _ = form.handle(.left, isV5: false)
        _ = form.handle(.left, isV5: false)
        XCTAssertEqual([form.payloadEditor.row, form.payloadEditor.column], [0, 1], "left wraps to the end of the line above")
        // A decomposed "é" is one Character: one backspace removes all of it.
        _ = form.handle(.character("e\u{301}"), isV5: false)
        _ = form.handle(.backspace, isV5: false)
        XCTAssertEqual(form.payload, "é\nXlo")
        XCTAssertEqual(Array(form.payload.utf8), Array("é\nXlo".utf8))
    }

    func testPastingMultiLineUTF8() {
        var form = PublishFormState(topic: "t")
        form.paste("温度\r\n😀 ok\nend")
        XCTAssertEqual(form.payloadEditor.lines.map { String($0) }, ["温度", "😀 ok", "end"])
        XCTAssertEqual([form.payloadEditor.row, form.payloadEditor.column], [2, 3])
        let lines = DetailFixture.render(PublishFormView(form: form, isV5: false), width: 40, height: 10)
        XCTAssertEqual(Array(lines[2...4]), [row("▸ Payload", "温度"), row("", "😀 ok"), row("", "end")])
        form.payloadEditor = FormEditor(text: "温度", multiline: true)
        _ = form.handle(.home, isV5: false)
        _ = form.handle(.right, isV5: false)
        form.paste("a\nb")
        XCTAssertEqual(form.payload, "温a\nb度")
        // A one-line field turns pasted line breaks into spaces and drops control characters.
        form.focus = .topic
        form.topic = ""
        form.paste("x\ny\u{1B}z")
        XCTAssertEqual(form.topic, "x yz")
    }

    func testQoSCycleAndRetainToggle() {
        var form = PublishFormState()
        _ = form.handle(.tab, isV5: false)
        _ = form.handle(.tab, isV5: false)
        XCTAssertEqual(form.focus, .qos)
        var seen: [QoS] = []
        for _ in 0..<3 {
            _ = form.handle(.character(" "), isV5: false)
            seen.append(form.qos)
        }
        XCTAssertEqual(seen, [.atLeastOnce, .exactlyOnce, .atMostOnce])
        _ = form.handle(.character("2"), isV5: false)
        XCTAssertEqual(form.qos, .exactlyOnce)
        _ = form.handle(.left, isV5: false)
        XCTAssertEqual(form.qos, .atLeastOnce)
        _ = form.handle(.tab, isV5: false)
        XCTAssertEqual(form.focus, .retain)
        _ = form.handle(.character(" "), isV5: false)
        XCTAssertTrue(form.retain)
        _ = form.handle(.character(" "), isV5: false)
        XCTAssertFalse(form.retain)
    }

    func testFocusOrderDependsOnTheProtocolVersion() {
        var form = PublishFormState()
        var v5: [PublishFormField] = []
        for _ in 0..<7 {
            _ = form.handle(.tab, isV5: true)
            v5.append(form.focus)
        }
        XCTAssertEqual(v5, [.payload, .qos, .retain, .request, .contentType, .userProperties, .topic])
        _ = form.handle(.backTab, isV5: false)
        XCTAssertEqual(form.focus, .retain, "3.1.1 has no property fields")
        form.focus = .contentType
        _ = form.handle(.tab, isV5: false)
        XCTAssertEqual(form.focus, .payload, "a v5-only focus falls back to the topic first")
    }

    func testInvalidTopicIsShownInsteadOfSubmitting() {
        var form = PublishFormState()
        type("a/+/b", into: &form)
        XCTAssertEqual(form.handle(.control("s"), isV5: false), PublishFormAction.none)
        XCTAssertEqual(form.error, "Topic: a topic to publish to cannot contain the wildcards '+' or '#'")
        let lines = DetailFixture.render(PublishFormView(form: form, isV5: false), width: 80, height: 10)
        XCTAssertEqual(lines[7], "Topic: a topic to publish to cannot contain the wildcards '+' or '#'")
        form.topic = ""
        XCTAssertEqual(form.handle(.enter, isV5: false), PublishFormAction.none)
        XCTAssertEqual(form.error, "Topic: the topic is empty; give at least one character")
        XCTAssertTrue(form.history.isEmpty)
    }

    func testSubmitCarriesTheFormContents() {
        var form = PublishFormState(topic: "a/b")
        type("héllo", into: &form)
        _ = form.handle(.enter, isV5: false)
        type("wörld", into: &form)
        form.qos = .atLeastOnce
        form.retain = true
        form.contentTypeEditor = FormEditor(text: "ignored in 3.1.1", multiline: false)
        XCTAssertEqual(form.handle(.control("s"), isV5: false),
                       .submit(.publish(topic: "a/b", payload: Array("héllo\nwörld".utf8), qos: .atLeastOnce, retain: true, properties: [])))
        XCTAssertNil(form.error)
        XCTAssertTrue(form.isAwaitingResult)
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 60, height: 10)[8], "Result: sending…")
        form.lastResult = PublishOutcome(topic: "a/b", acknowledgement: "PUBCOMP", reasonCode: .success)
        XCTAssertFalse(form.isAwaitingResult)
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 60, height: 10)[8],
                       "Result: PUBCOMP for a/b · Success (0x0)")
        form.lastResult = PublishOutcome(topic: "a/b", acknowledgement: "PUBACK", error: "not connected")
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 60, height: 10)[8],
                       "Result: failed: not connected")
        // Enter on the topic field submits too; Escape closes.
        form.focus = .topic
        guard case .submit = form.handle(.enter, isV5: false) else { return XCTFail("Enter on the topic submits") }
        XCTAssertEqual(form.handle(.escape, isV5: false), .close)
    }

    func testV5PropertiesInTheCommand() {
        var form = PublishFormState(topic: "a/b")
        form.contentTypeEditor = FormEditor(text: "text/plain", multiline: false)
        form.userPropertiesEditor = FormEditor(text: "unit = C\n\nroom=kitchen=yes", multiline: true)
        XCTAssertEqual(form.handle(.control("s"), isV5: true),
                       .submit(.publish(topic: "a/b", payload: [], qos: .atMostOnce, retain: false,
                                        properties: [.contentType("text/plain"), .userProperty("unit", "C"), .userProperty("room", "kitchen=yes")])))
        form.userPropertiesEditor = FormEditor(text: "novalue", multiline: true)
        XCTAssertEqual(form.handle(.control("s"), isV5: true), PublishFormAction.none)
        XCTAssertEqual(form.error, "User properties line 1: write key=value")
        form.userPropertiesEditor = FormEditor(text: "a=1\n=x", multiline: true)
        XCTAssertEqual(form.handle(.control("s"), isV5: true), PublishFormAction.none)
        XCTAssertEqual(form.error, "User properties line 2: the key is empty")
    }

    func testHistoryRecallAndResend() {
        var form = PublishFormState()
        for n in 1...3 {
            form.topic = "t/\(n)"
            form.payloadEditor = FormEditor(text: "p\(n)", multiline: true)
            guard case .submit = form.handle(.control("s"), isV5: false) else { return XCTFail() }
        }
        form.topic = "draft"
        var recalled: [String] = []
        for key in [Key.control("p"), .control("p"), .control("p"), .control("p"), .control("n"), .control("n"), .control("n")] {
            _ = form.handle(key, isV5: false)
            recalled.append(form.topic + ":" + form.payload)
        }
        XCTAssertEqual(recalled, ["t/3:p3", "t/2:p2", "t/1:p1", "t/1:p1", "t/2:p2", "t/3:p3", "draft:p3"])
        _ = form.handle(.control("p"), isV5: false)
        _ = form.handle(.control("p"), isV5: false)
        XCTAssertEqual(form.handle(.control("s"), isV5: false),
                       .submit(.publish(topic: "t/2", payload: Array("p2".utf8), qos: .atMostOnce, retain: false, properties: [])))
        XCTAssertEqual(form.history.map(\.topic), ["t/1", "t/2", "t/3", "t/2"])
        _ = form.handle(.control("s"), isV5: false)
        XCTAssertEqual(form.history.count, 4, "sending the same message again adds no entry")
        for n in 0..<55 {
            form.topic = "h/\(n)"
            _ = form.handle(.control("s"), isV5: false)
        }
        XCTAssertEqual(form.history.count, PublishFormState.historyLimit)
        XCTAssertEqual(form.history.first?.topic, "h/5")
    }

    func testLongLinesScrollSidewaysToKeepTheCursorVisible() {
        var form = PublishFormState(topic: "t")
        type("abcdefghijklmnopqrst", into: &form)
        // 30 columns less the 18 of the labels leaves 12: the last 11 characters and the cursor.
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 30, height: 10)[2],
                       row("▸ Payload", "jklmnopqrst"))
        _ = form.handle(.home, isV5: false)
        XCTAssertEqual(DetailFixture.render(PublishFormView(form: form, isV5: false), width: 30, height: 10)[2],
                       row("▸ Payload", "abcdefghijkl"))
    }
}
