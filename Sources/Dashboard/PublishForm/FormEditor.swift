/// A small text editor for the publish form: lines of Characters (so the cursor moves by what a
/// user sees as one character, never into the middle of a UTF-8 sequence or a grapheme) and a
/// cursor as (row, column). Single-line fields use it too and turn pasted line breaks into spaces.
public struct FormEditor: Hashable, Sendable {
    public private(set) var lines: [[Character]]
    public private(set) var row = 0
    /// Characters before the cursor on its row.
    public private(set) var column = 0
    public let isMultiline: Bool

    public init(text: String = "", multiline: Bool) {
        isMultiline = multiline
        lines = [[]]
        insert(text)
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    /// Inserts `text` at the cursor; line breaks (LF, CR, CRLF) start new lines in a multi-line editor.
    public mutating func insert(_ text: String) {
        for character in text {
            if character.isNewline {
                if isMultiline { newline() } else { insertCharacter(" ") }
            } else if !Self.isControl(character) || character == "\t" {
                insertCharacter(character)
            }
        }
    }

    private mutating func insertCharacter(_ character: Character) {
        lines[row].insert(character, at: column)
        column += 1
    }

    public mutating func newline() {
        guard isMultiline else { return }
        let tail = Array(lines[row][column...])
        lines[row].removeSubrange(column...)
        lines.insert(tail, at: row + 1)
        row += 1
        column = 0
    }

    /// Deletes the character before the cursor, joining with the line above at a line start.
    public mutating func backspace() {
        if column > 0 {
            lines[row].remove(at: column - 1)
            column -= 1
        } else if row > 0 {
            let line = lines.remove(at: row)
            row -= 1
            column = lines[row].count
            lines[row] += line
        }
    }

    /// Deletes the character under the cursor, joining with the line below at a line end.
    public mutating func delete() {
        if column < lines[row].count {
            lines[row].remove(at: column)
        } else if row + 1 < lines.count {
            lines[row] += lines.remove(at: row + 1)
        }
    }

    public mutating func moveLeft() {
        if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
    }

    public mutating func moveRight() {
        if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
    }

    /// Returns false at the first line, so the form can use Up for something else there.
    @discardableResult
    public mutating func moveUp() -> Bool {
        guard row > 0 else { return false }
        row -= 1
        column = min(column, lines[row].count)
        return true
    }

    @discardableResult
    public mutating func moveDown() -> Bool {
        guard row + 1 < lines.count else { return false }
        row += 1
        column = min(column, lines[row].count)
        return true
    }

    public mutating func moveHome() { column = 0 }
    public mutating func moveEnd() { column = lines[row].count }

    /// Applies an editing key; returns false for keys an editor does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character): insert(String(character))
        case .enter where isMultiline: newline()
        case .backspace: backspace()
        case .delete: delete()
        case .left: moveLeft()
        case .right: moveRight()
        case .up where isMultiline: moveUp()
        case .down where isMultiline: moveDown()
        case .home, .control("a"): moveHome()
        case .end, .control("e"): moveEnd()
        default: return false
        }
        return true
    }

    static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }
    }
}
