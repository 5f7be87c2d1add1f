import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard

/// A section title padded with rules to `width` columns, as the detail view draws it.
func detailRule(_ title: String, _ width: Int) -> String { title + String(repeating: "─", count: width - title.count) }

final class DetailViewTests: XCTestCase {
    private let received = DetailFixture.message("x").receivedAt

    private func view(_ message: ReceivedMessage, history: [ReceivedMessage] = [], mode: PayloadViewMode = .automatic,
                      plotField: String? = nil, scroll: Int = 0) -> DetailView {
        DetailView(message: message, history: history, mode: mode, plotField: plotField, scroll: scroll, now: message.receivedAt + 3)
    }

    func testJSONViewIsPrettyPrintedAndColouredByRole() {
        let json = #"{"temp":21.5,"ok":true,"tags":["a","b"],"none":null,"empty":{}}"#
        let message = DetailFixture.message(Array(json.utf8), qos: .atLeastOnce, retain: true, dup: true)
        let detail = view(message)
        XCTAssertEqual(DetailFixture.render(detail, width: 50, height: 14), [
            "livingroom/temp",
            "QoS 1  retained  dup  63 B  20:11:05 (3 s ago)",
            detailRule("─ Payload (auto: json) ", 50),
            "{",
            "  \"temp\": 21.5,",
            "  \"ok\": true,",
            "  \"tags\": [",
            "    \"a\",",
            "    \"b\"",
            "  ],",
            "  \"none\": null,",
            "  \"empty\": {}",
            "}",
            "",
        ])
        let buffer = DetailFixture.renderBuffer(detail, width: 50, height: 14, theme: detailRoleTheme)
        XCTAssertEqual(buffer.detailStyle(of: "\"temp\"", row: 4), detailRoleTheme.style(.jsonKey))
        XCTAssertEqual(buffer.detailStyle(of: "21.5", row: 4), detailRoleTheme.style(.jsonNumber))
        XCTAssertEqual(buffer.detailStyle(of: "true", row: 5), detailRoleTheme.style(.jsonLiteral))
        XCTAssertEqual(buffer.detailStyle(of: "\"a\"", row: 7), detailRoleTheme.style(.jsonString))
        XCTAssertEqual(buffer.detailStyle(of: "retained", row: 1), detailRoleTheme.style(.retained))
    }

    func testHexViewForBinaryPayloads() {
        let message = DetailFixture.message([0x00, 0x01, 0xFF, 0x7B, 0x22, 0x41] + Array(0..<30))
        XCTAssertEqual(DetailFixture.render(view(message), width: 80, height: 7), [
            "livingroom/temp",
            "QoS 0  36 B  20:11:05 (3 s ago)",
            detailRule("─ Payload (auto: hex) ", 80),
            "00000000  00 01 ff 7b 22 41 00 01  02 03 04 05 06 07 08 09  |...{\"A..........|",
            "00000010  0a 0b 0c 0d 0e 0f 10 11  12 13 14 15 16 17 18 19  |................|",
            "00000020  1a 1b 1c 1d                                       |....|",
            "",
        ])
        // A narrow pane gets 8 bytes a row instead of cutting the ASCII column off.
        let narrow = DetailFixture.render(view(message, mode: .hex), width: 50, height: 5)
        XCTAssertEqual(Array(narrow[3...]), [
            "00000000  00 01 ff 7b 22 41 00 01  |...{\"A..|",
            "00000008  02 03 04 05 06 07 08 09  |........|",
        ])
    }

    func testTextViewShowsEscapeSequencesEscaped() {
        let payload = Array("hello \u{1B}[2J world\nline2\tx\r\n".utf8) + [0xFF, 0x07, 0x9B]
        let lines = DetailFixture.render(view(DetailFixture.message(payload), mode: .text), width: 40, height: 7)
        XCTAssertEqual(Array(lines[2...]), [
            detailRule("─ Payload (text) ", 40),
            "hello \\e[2J world",
            "line2    x\\r",
            "\\xff\\x07\\x9b",
            "",
        ])
        // Valid UTF-8 with one escape sequence is still text for `.automatic`.
        XCTAssertEqual(PayloadViewMode.automatic.resolved(for: Array("hello \u{1B}[2J world".utf8)), .text)
        XCTAssertEqual(PayloadViewMode.automatic.resolved(for: payload), .hex)
        // Whatever the bytes, no cell holds a control character.
        // Every byte value, in a fixed scrambled order (167 is odd, so i * 167 runs through all 256):
        // the same input on every run, unlike random bytes.
        let bytes = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
        for mode in PayloadViewMode.allCases {
            let buffer = DetailFixture.renderBuffer(view(DetailFixture.message(bytes), mode: mode), width: 80, height: 24)
            for cell in buffer.cells {
                XCTAssertFalse(cell.text.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }, "\(mode)")
            }
        }
    }

    func testSixteenMegabytePayloadShowsTruncatedMarker() {
        // Stored as the dashboard stores it: the first 64 KiB, with the real size beside it.
        let stored = ByteBuffer(repeating: UInt8(ascii: "A"), count: 64 * 1024)
        let message = ReceivedMessage(topic: "big", payload: stored, size: 16 * 1024 * 1024, receivedAt: received)
        XCTAssertTrue(message.isTruncated)
        let lines = DetailFixture.render(view(message), width: 80, height: 6)
        XCTAssertEqual(lines, [
            "big",
            "QoS 0  16 MiB (16777216 B)  20:11:05 (3 s ago)",
            detailRule("─ Payload (auto: text) ", 80),
            "truncated, 16777216 bytes (showing 65536)",
            String(repeating: "A", count: 80),
            String(repeating: "A", count: 80),
        ])
        // Stored whole but larger than a view formats: cut for display, with the same marker.
        let large = DetailFixture.message(Array(repeating: UInt8(ascii: "B"), count: 300_000))
        XCTAssertEqual(DetailFixture.render(view(large, mode: .hex), width: 80, height: 4)[3],
                       "truncated, 300000 bytes (showing 262144)")
    }

    func testJSONCutByTheStorageCapStillShowsAsJSON() {
        let message = DetailFixture.message(Array(#"{"a":[1,2,3"#.utf8), size: 1000)
        let lines = DetailFixture.render(view(message), width: 40, height: 10)
        XCTAssertEqual(Array(lines[2...]), [
            detailRule("─ Payload (auto: json) ", 40),
            "truncated, 1000 bytes (showing 11)",
            "{",
            "  \"a\": [",
            "    1,",
            "    2,",
            "    3",
            "",
        ])
    }

    func testScrollingMovesThroughThePayloadAndStopsAtTheEnd() {
        let text = (0..<30).map { "line \($0)" }.joined(separator: "\n")
        let message = DetailFixture.message(text)
        XCTAssertEqual(Array(DetailFixture.render(view(message, scroll: 5), width: 30, height: 6)[3...]), ["line 5", "line 6", "line 7"])
        XCTAssertEqual(Array(DetailFixture.render(view(message, scroll: 999), width: 30, height: 6)[3...]), ["line 27", "line 28", "line 29"])
    }

    func testV5PropertiesAreShownSafely() {
        let properties: Properties = [
            .contentType("application/json"), .payloadFormatIndicator(1), .responseTopic("reply/\u{1B}x"),
            .correlationData(ByteBuffer(bytes: [0x01, 0x41, 0xFF])), .userProperty("unit", "C"), .userProperty("room", "kitchen"),
        ]
        let message = DetailFixture.message(Array("{}".utf8), properties: properties)
        let lines = DetailFixture.render(view(message), width: 120, height: 6)
        XCTAssertEqual(Array(lines[2...3]), [
            "content type: application/json  format: UTF-8  response topic: reply/\\ex  correlation: \\x01A\\xff",
            "user properties: unit=C, room=kitchen",
        ])
    }

    func testRecentMessagesAndPlotBelowThePayload() {
        let history = [20.5, 21.0, 23.5, 22.0].enumerated().map {
            DetailFixture.message("\($0.element) °C", at: received + Double($0.offset) * 10)
        }
        let detail = DetailView(message: history.last, history: history, mode: .automatic, plotField: nil, scroll: 0,
                                now: received + 60)
        let lines = DetailFixture.render(detail, width: 40, height: 16)
        XCTAssertEqual(lines[0...3], ["livingroom/temp", "QoS 0  8 B  20:11:35 (30 s ago)", detailRule("─ Payload (auto: text) ", 40), "22.0 °C"])
        XCTAssertEqual(lines[6], "plot value  min 20.5  max 23.5  last 22")
        XCTAssertTrue(lines[7].hasPrefix("23.5 "))
        XCTAssertTrue(lines[10].hasPrefix("20.5 "))
        XCTAssertEqual(Array(lines[11...]), [
            detailRule("─ Recent (4) ", 40),
            "20:11:35  22.0 °C",
            "20:11:25  23.5 °C",
            "20:11:15  21.0 °C",
            "20:11:05  20.5 °C",
        ])
    }

    func testNoMessageAndEmptyPayload() {
        let none = DetailView(message: nil, history: [], mode: .automatic, plotField: nil, scroll: 0, now: 0)
        XCTAssertEqual(DetailFixture.render(none, width: 20, height: 1), ["No topic selected"])
        XCTAssertEqual(DetailFixture.render(view(DetailFixture.message([])), width: 30, height: 4)[3], "(empty payload)")
    }

    func testJSONValidation() {
        for valid in ["{}", "[]", "1", "-0.5e+3", "\"s\\u00e9\"", #"{"a":[1,{"b":null}],"c":"\n"}"#, " true "] {
            XCTAssertNotNil(JSONPretty.format(Array(valid.utf8), maxLines: 10), valid)
        }
        for invalid in ["", "{", #"{"a"}"#, "[1,]", "01", #"{"a":1}}"#, "[1 2]", #""\x""#, "tru", "[}", "{1:2}", "\"a\u{01}\""] {
            XCTAssertNil(JSONPretty.format(Array(invalid.utf8), maxLines: 10), invalid)
        }
    }

    func testFormattersNeverTrapOnAnyBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextByte() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let alphabet = Array(#"{}[]:,"\-0123456789.eEtruefalsn \#t"#.utf8) + [0xFF, 0xC3, 0x00]
        for _ in 0..<2000 {
            let bytes = (0..<Int(nextByte() % 40)).map { _ in alphabet[Int(nextByte()) % alphabet.count] }
            _ = JSONPretty.format(bytes, maxLines: 50, acceptCutEnd: true)
            _ = NumericValue.extract(from: bytes, field: "a.b[1]")
            _ = PayloadFormatter.lines(bytes, mode: .automatic.resolved(for: bytes, isCut: true), width: 20, maxLines: 20, isCut: true)
        }
        // Deep nesting is walked with an explicit stack, not recursion.
        let deep = Array(repeating: UInt8(ascii: "["), count: 200_000)
        XCTAssertNil(JSONPretty.format(deep, maxLines: 5))
        XCTAssertEqual(JSONPretty.format(deep, maxLines: 5, acceptCutEnd: true)?.count, 5)
        XCTAssertNil(NumericValue.extract(from: deep, field: "a"))
    }
}

final class DetailWidgetBoundsTests: XCTestCase {
    /// Widgets draw only inside their area, whatever its size, including areas too small for them.
    func testWidgetsStayInsideTheirArea() {
        let history = (0..<8).map { DetailFixture.message(#"{"temp":\#(20 + $0)}"#, at: Double($0)) }
        var form = PublishFormState(topic: "a/b")
        form.paste((0..<20).map { "line \($0) " + String(repeating: "x", count: $0 * 5) }.joined(separator: "\n"))
        form.error = "bad"
        form.lastResult = PublishOutcome(topic: "a/b", acknowledgement: "PUBACK")
        let widgets: [any Widget] = [
            DetailView(message: history.last, history: history, mode: .automatic, plotField: "temp", scroll: 3, now: 100),
            DetailView(message: history.last, history: history, mode: .hex, plotField: nil, scroll: 0, now: 100),
            PublishFormView(form: form, isV5: true),
            PublishFormView(form: form, isV5: false),
            BraillePlot(points: (0..<5).map { PlotPoint(time: Double($0), value: Double($0 * $0)) }),
        ]
        for widget in widgets {
            for (width, height) in [(30, 10), (1, 1), (5, 3), (70, 30), (20, 40)] {
                let area = Rect(x: 4, y: 3, width: width, height: height)
                var buffer = Buffer(width: 90, height: 50)
                widget.render(in: area, buffer: &buffer, theme: .monochrome)
                for y in 0..<buffer.height {
                    for x in 0..<buffer.width where !(x >= area.x && x < area.maxX && y >= area.y && y < area.maxY) {
                        XCTAssertEqual(buffer[x, y], .blank, "\(type(of: widget)) \(width)x\(height) drew at \(x),\(y)")
                    }
                }
            }
        }
    }

    func testPayloadLineCountForScrollLimits() {
        let text = DetailFixture.message((0..<30).map { "line \($0)" }.joined(separator: "\n"))
        XCTAssertEqual(DetailView.payloadLineCount(text, mode: .automatic, width: 40), 30)
        let binary = DetailFixture.message(Array(repeating: 0, count: 100))
        XCTAssertEqual(DetailView.payloadLineCount(binary, mode: .automatic, width: 80), 7)
        let json = DetailFixture.message(#"{"a":1,"b":[2]}"#)
        XCTAssertEqual(DetailView.payloadLineCount(json, mode: .automatic, width: 80), 6)
    }

    func testRenderingALargePayloadLaysOutOnlyWhatFits() {
        let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 64 * 1024)
        let message = ReceivedMessage(topic: "big", payload: big, size: 16 * 1024 * 1024, receivedAt: 0)
        // Counted, not timed: every formatter stops at the lines asked for (all of 64 KiB would be
        // hundreds of text lines and thousands of hex rows), and the view asks for the rows it has.
        let bytes = PayloadFormatter.displayBytes(message.payload)
        for mode in PayloadViewMode.allCases {
            let shown = mode.resolved(for: bytes, isCut: true)
            XCTAssertLessThanOrEqual(PayloadFormatter.lines(bytes, mode: shown, width: 120, maxLines: 40, isCut: true).count, 40, "\(mode)")
            let screen = DetailFixture.render(DetailView(message: message, history: [message], mode: mode, plotField: nil, scroll: 0, now: 0),
                                              width: 120, height: 40)
            XCTAssertTrue(screen.contains { $0.contains("aaaaaaaa") || $0.contains("61 61 61") || $0.contains("6161") }, "\(mode): \(screen)")
        }
    }
}

final class DetailSnapshotTests: XCTestCase {
    func testDetailViewAt80x24() {
        let base = 3600.0 * 8
        let history = [21.0, 21.5, 22.5, 24.0, 23.0, 22.0].enumerated().map { index, temp in
            DetailFixture.message(Array(#"{"sensor":{"temp":\#(temp),"unit":"°C"},"ok":true}"#.utf8), topic: "livingroom/climate",
                                  qos: .atLeastOnce, retain: index == 5, at: base + Double(index) * 60)
        }
        let detail = DetailView(message: history.last, history: history, mode: .automatic, plotField: "sensor.temp", scroll: 0,
                                now: base + 312)
        let lines = DetailFixture.render(detail, width: 80, height: 24)
        XCTAssertEqual(Array(lines[0...13]), [
            "livingroom/climate",
            "QoS 1  retained  47 B  08:05:00 (12 s ago)",
            detailRule("─ Payload (auto: json) ", 80),
            "{",
            "  \"sensor\": {",
            "    \"temp\": 22.0,",
            "    \"unit\": \"°C\"",
            "  },",
            "  \"ok\": true",
            "}",
            "",
            "",
            "",
            "plot sensor.temp  min 21  max 24  last 22",
        ])
        // Rising from 21 to the peak of 24 at the fourth sample, then falling to 22, over time.
        XCTAssertEqual(Array(lines[14...17]), [
            "24                                       ⢀⣀⡠⠤⠤⠒⠒⠉⠉⠑⠒⠒⠢⠤⠤⢄⣀⣀⡀",
            "                                ⣀⣀⣀⠤⠤⠒⠒⠊⠉⠁                 ⠈⠉⠉⠑⠒⠒⠒⠤⠤⠤⣀⣀⣀",
            "                    ⣀⣀⣀⠤⠤⠤⠒⠒⠒⠉⠉⠉                                        ⠉⠉⠉⠒⠒⠒⠤⠤",
            "21 ⣀⣀⣀⠤⠤⠤⠤⠤⠒⠒⠒⠒⠒⠉⠉⠉⠉",
        ])
        XCTAssertEqual(Array(lines[18...]), [
            detailRule("─ Recent (6) ", 80),
            "08:05:00  {\"sensor\":{\"temp\":22.0,\"unit\":\"°C\"},\"ok\":true}",
            "08:04:00  {\"sensor\":{\"temp\":23.0,\"unit\":\"°C\"},\"ok\":true}",
            "08:03:00  {\"sensor\":{\"temp\":24.0,\"unit\":\"°C\"},\"ok\":true}",
            "08:02:00  {\"sensor\":{\"temp\":22.5,\"unit\":\"°C\"},\"ok\":true}",
            "08:01:00  {\"sensor\":{\"temp\":21.5,\"unit\":\"°C\"},\"ok\":true}",
        ])
    }
}
