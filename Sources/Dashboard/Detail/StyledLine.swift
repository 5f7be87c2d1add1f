/// A run of already-safe text with the role that colours it. The detail view formats payloads
/// into these first and draws them second, so formatting is testable and bounded on its own.
struct PayloadSpan: Hashable, Sendable {
    var text: String
    var role: Role
}

typealias PayloadLine = [PayloadSpan]

enum PayloadLines {
    /// Plain text of a line, for tests and width sums.
    static func text(_ line: PayloadLine) -> String { line.map(\.text).joined() }

    /// Splits `line` into rows of at most `width` columns, by character, so nothing is lost off
    /// the right edge (a long JSON string stays readable).
    static func wrap(_ line: PayloadLine, width: Int) -> [PayloadLine] {
        guard width > 0 else { return [line] }
        var rows: [PayloadLine] = []
        var row: PayloadLine = []
        var used = 0
        for span in line {
            var piece = ""
            for character in span.text {
                let columns = DisplayWidth.of(character)
                if used + columns > width, used > 0 {
                    if !piece.isEmpty { row.append(PayloadSpan(text: piece, role: span.role)) }
                    rows.append(row)
                    row = []
                    piece = ""
                    used = 0
                }
                piece.append(character)
                used += columns
            }
            if !piece.isEmpty { row.append(PayloadSpan(text: piece, role: span.role)) }
        }
        rows.append(row)
        return rows
    }

    /// Draws one line from (x, y), clipped to `width` columns.
    static func draw(_ line: PayloadLine, x: Int, y: Int, width: Int, buffer: inout Buffer, theme: Theme) {
        var column = 0
        for span in line where column < width {
            column += buffer.write(span.text, x: x + column, y: y, style: theme.style(span.role), maxWidth: width - column)
        }
    }
}
