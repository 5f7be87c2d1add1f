import MQTTCore
import NIOCore
import PayloadDecoders
import XCTest

@testable import Dashboard

/// `=`: the diff results for JSON, text and binary, and the detail pane showing them.
final class MessageDiffTests: XCTestCase {
    private func diff(_ old: String, _ new: String) -> MessageDiff {
        MessageDiff.between(previous: Array(old.utf8), current: Array(new.utf8))
    }

    private func marked(_ diff: MessageDiff) -> [String] {
        diff.lines.map { line in
            switch line.change {
            case .same: "  " + line.text
            case .added: "+ " + line.text
            case .removed: "- " + line.text
            case .changed(let old): "~ " + line.text + " (was " + old + ")"
            }
        }
    }

    func testJSONByKeyPath() {
        let result = diff(#"{"temp":21.5,"door":"closed","tags":["a","b"],"gone":null,"nest":{"x":1}}"#,
                          #"{"temp":22,"door":"closed","tags":["a","c","d"],"nest":{"x":1,"y":true},"new":{}}"#)
        XCTAssertEqual(result.kind, .json)
        XCTAssertEqual(marked(result), [
            "~ temp: 22 (was 21.5)",
            "  door: \"closed\"",
            "  tags[0]: \"a\"",
            "~ tags[1]: \"c\" (was \"b\")",
            "+ tags[2]: \"d\"",
            "  nest.x: 1",
            "+ nest.y: true",
            "+ new: {}",
            "- gone: null",
        ])
        XCTAssertEqual(result.changeCount, 6)
    }

    func testAJSONNumberAloneIsTextNotKeys() {
        let result = diff("21.5", "21.7")
        XCTAssertEqual(result.kind, .text)
        XCTAssertEqual(marked(result), ["- 21.5", "+ 21.7"])
    }

    func testTextByLine() {
        let result = diff("a\nb\nc\nd\ne", "a\nB\nc\ne\nf")
        XCTAssertEqual(result.kind, .text)
        XCTAssertEqual(marked(result), ["  a", "- b", "+ B", "  c", "- d", "  e", "+ f"])
        XCTAssertEqual(marked(diff("same", "same")), ["  same"])
    }

    func testControlCharactersInTextAreEscaped() {
        XCTAssertEqual(marked(diff("x", "x\u{1b}[2J")), ["- x", "+ x\\e[2J"])
    }

    func testBinaryByByteRanges() {
        let old: [UInt8] = [0x00, 0xff, 0x01, 0x02, 0x03, 0x04, 0xfe, 0x80]
        let new: [UInt8] = [0x00, 0xff, 0x11, 0x12, 0x03, 0x04, 0xfe, 0x81, 0xaa, 0xbb]
        let result = MessageDiff.between(previous: old, current: new)
        XCTAssertEqual(result.kind, .binary)
        XCTAssertEqual(marked(result), [
            "~ bytes 2-3: 11 12 (was 01 02)",
            "~ byte 7: 81 (was 80)",
            "+ bytes 8-9: aa bb",
        ])
        XCTAssertEqual(marked(MessageDiff.between(previous: new, current: Array(new.prefix(9)) + [0xff, 0xff])).last, "+ byte 10: ff")
        XCTAssertEqual(marked(MessageDiff.between(previous: old, current: Array(old.prefix(3)) + [0xff])),
                       ["~ byte 3: ff (was 02)", "- bytes 4-7: 03 04 fe 80"])
        XCTAssertEqual(marked(MessageDiff.between(previous: [0xff], current: [0xff])), ["  1 bytes, all the same"])
    }

    func testDecodedTopicsCompareTheirDecodedKeys() throws {
        let old = DecodedValue.object([.init("a", .integer(1)), .init("b", .bytes([1]))])
        let new = DecodedValue.object([.init("a", .integer(2)), .init("b", .bytes([1]))])
        let result = MessageDiff.between(previous: [0x01], current: [0x02], decoded: (old, new))
        XCTAssertEqual(result.kind, .json)
        XCTAssertEqual(marked(result).first, "~ a: 2 (was 1)")
    }

    func testEqualsShowsTheDiffInTheDetailPane() {
        var state = Fixture.house(width: 120, height: 40)
        _ = update(&state, .message(Fixture.message("livingroom/lamp", #"{"on":false,"level":3}"#, at: 5)))
        state.select(state.tree.node("livingroom/lamp")!)
        _ = Fixture.press(&state, .character("="))
        XCTAssertTrue(state.showDiff)
        let lines = DetailFixture.render(state.selectedDetailView(), width: 60, height: 20)
        XCTAssertTrue(lines.contains { $0.hasPrefix("─ Diff with previous (json, 2 changes) ─") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("~ on: false  (was true)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("+ level: 3"))
        // Only one message: nothing to compare, said so.
        state.select(state.tree.node("garage/door")!)
        let single = DetailFixture.render(state.selectedDetailView(), width: 60, height: 20)
        XCTAssertTrue(single.contains { $0.hasPrefix("─ Diff: no previous message of this topic ─") })
        _ = Fixture.press(&state, .character("="))
        XCTAssertFalse(state.showDiff)
        XCTAssertFalse(DetailFixture.render(state.selectedDetailView(), width: 60, height: 20).contains { $0.contains("Diff") })
    }

    func testDiffStylesMarkTheChange() {
        var state = Fixture.house(width: 120, height: 40)
        _ = update(&state, .message(Fixture.message("livingroom/lamp", #"{"on":false}"#, at: 5)))
        state.select(state.tree.node("livingroom/lamp")!)
        _ = Fixture.press(&state, .character("="))
        _ = update(&state, .message(Fixture.message("livingroom/lamp", #"{"level":1}"#, at: 6)))
        let buffer = DetailFixture.renderBuffer(state.selectedDetailView(), width: 60, height: 20, theme: detailRoleTheme)
        let lines = buffer.lines()
        func style(_ prefix: String) -> Style? {
            lines.firstIndex { $0.hasPrefix(prefix) }.flatMap { buffer.detailStyle(of: prefix, row: $0) }
        }
        XCTAssertEqual(style("+ level"), detailRoleTheme.style(.jsonString))
        XCTAssertEqual(style("- on"), detailRoleTheme.style(.error))
        _ = update(&state, .message(Fixture.message("livingroom/lamp", #"{"level":2}"#, at: 7)))
        let changed = DetailFixture.renderBuffer(state.selectedDetailView(), width: 60, height: 20, theme: detailRoleTheme)
        let row = changed.lines().firstIndex { $0.hasPrefix("~ level") }!
        XCTAssertEqual(changed.detailStyle(of: "~ level", row: row), detailRoleTheme.style(.searchMatch))
    }
}
