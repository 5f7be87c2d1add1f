import XCTest

@testable import Dashboard

final class BufferTests: XCTestCase {
    func testWideCharactersTakeTwoColumnsAndNeverSplit() {
        var buffer = Buffer(width: 5, height: 1)
        let used = buffer.write("a温度", x: 0, y: 0, style: .plain)
        XCTAssertEqual(used, 5)
        XCTAssertEqual(buffer.lines(), ["a温度"])
        var narrow = Buffer(width: 4, height: 1)
        narrow.write("a温度", x: 0, y: 0, style: .plain)
        XCTAssertEqual(narrow.lines(), ["a温 "], "a wide character that does not fit becomes a space")
    }

    func testChangesListOnlyDifferingCells() {
        var first = Buffer(width: 3, height: 2)
        first.write("abc", x: 0, y: 0, style: .plain)
        var second = first
        second.write("x", x: 1, y: 1, style: .plain)
        let changes = second.changes(since: first)
        XCTAssertEqual(changes.map { "\($0.x),\($0.y),\($0.cell.text)" }, ["1,1,x"])
        XCTAssertEqual(second.changes(since: nil).count, 6)
    }

    func testSafeTextEscapesControlsAndInvalidUTF8() {
        XCTAssertEqual(SafeText.line([0x1B, 0x5B, 0x32, 0x4A, 0x41]), "\\e[2JA")
        XCTAssertEqual(SafeText.line([0x61, 0xFF, 0x62, 0x0A]), "a\\xffb\\n")
        XCTAssertEqual(SafeText.line(Array("21.5 °C".utf8)), "21.5 °C")
        XCTAssertEqual(SafeText.lines(Array("a\nb".utf8)), ["a", "b"])
        XCTAssertEqual(SafeText.line(Array("abcdef".utf8), maxCharacters: 3), "abc…")
    }
}
