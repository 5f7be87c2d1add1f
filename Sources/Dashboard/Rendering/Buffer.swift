/// One terminal cell. A wide character occupies its cell and marks the next one as its continuation.
public struct Cell: Hashable, Sendable {
    /// The grapheme shown; empty for the right half of a wide character.
    public var text: String
    public var style: Style

    public init(text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
}

/// A grid of cells that widgets draw into. The backend compares two buffers and writes only the
/// cells that changed; tests compare `lines()` with expected screens.
public struct Buffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Fills `rect` (clipped to the buffer) with `style` and spaces.
    public mutating func fill(_ rect: Rect, style: Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y] = Cell(text: " ", style: style) }
        }
    }

    /// Writes `text` from (x, y), at most `maxWidth` columns (to the buffer's edge when nil), and
    /// returns the columns used. The text must already be safe: `SafeText` removes control characters.
    /// A wide character that does not fit is replaced by a space rather than cut in half.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for character in text {
            let columns = DisplayWidth.of(character)
            if columns == 0 { continue }
            if column + columns > limit {
                if column < limit { self[column, y] = Cell(text: " ", style: style) ; column += 1 }
                break
            }
            if column >= 0 {
                self[column, y] = Cell(text: String(character), style: style)
                if columns == 2 { self[column + 1, y] = Cell(text: "", style: style) }
            }
            column += columns
        }
        return column - x
    }

    /// The screen as text, one string per row, wide characters once; trailing spaces kept.
    public func lines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            return line
        }
    }

    /// Cells that differ from `previous` (all of them when the sizes differ), row by row.
    public func changes(since previous: Buffer?) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(Int, Int, Cell)] = []
        let sameSize = previous.map { $0.width == width && $0.height == height } ?? false
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                if cell.isContinuation { continue }
                if sameSize, let previous, previous[x, y] == cell,
                    DisplayWidth.of(cell.text) < 2 || previous[x + 1, y] == self[x + 1, y]
                {
                    continue
                }
                result.append((x, y, cell))
            }
        }
        return result
    }
}
