/// Several series on one time axis in braille, for a board tile: each series in its own theme colour
/// and its own dash pattern (solid, dashed, dotted, sparse), so that they stay apart on `mono` too.
struct SeriesPlot {
    /// Theme roles of the series in order; more series than roles reuse them (the dashes still differ).
    static let roles: [Role] = [.plot, .jsonString, .jsonNumber, .jsonKey]
    /// The legend's mark for each dash pattern.
    static let marks = ["━", "╍", "┅", "┉"]

    var series: [[PlotPoint]]
    var start: Double
    var end: Double

    /// The value range over every series; nil when there is nothing to plot.
    var range: (low: Double, high: Double)? {
        let values = series.joined().map(\.value)
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low, high)
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme, alerting: Bool = false) {
        guard !area.isEmpty, end > start, let (low, high) = range else { return }
        for (index, points) in series.enumerated() where !points.isEmpty {
            let style = theme.style(alerting && index == 0 ? .error : Self.roles[index % Self.roles.count])
            let cells = Self.dots(points, start: start, end: end, low: low, high: high, columns: area.width, rows: area.height,
                                  every: index % Self.marks.count + 1)
            for row in 0..<area.height {
                for column in 0..<area.width where cells[row][column] != 0 {
                    // A cell two series share keeps the dots of both, in the colour of the later one.
                    var bits = cells[row][column]
                    let existing = buffer[area.x + column, area.y + row].text.unicodeScalars.first!.value
                    if (0x2801...0x28FF).contains(existing) { bits |= UInt8(existing - 0x2800) }
                    let glyph = Character(Unicode.Scalar(0x2800 + UInt32(bits))!)
                    buffer[area.x + column, area.y + row] = Cell(text: String(glyph), style: style)
                }
            }
        }
    }

    /// Dot bits per cell with x from `start` to `end` and y from `low` (bottom) to `high`; neighbours are
    /// joined, and only every `every`th dot of the joined line is set (the dash pattern).
    static func dots(_ points: [PlotPoint], start: Double, end: Double, low: Double, high: Double,
                     columns: Int, rows: Int, every: Int) -> [[UInt8]] {
        var cells = Array(repeating: Array(repeating: UInt8(0), count: columns), count: rows)
        let width = columns * 2
        let height = rows * 4
        func position(_ point: PlotPoint) -> (x: Int, y: Int) {
            let share = min(1, max(0, (point.time - start) / (end - start)))
            let level = high > low ? (point.value - low) / (high - low) : 0.5
            return (Int((share * Double(width - 1)).rounded()), height - 1 - Int((level * Double(height - 1)).rounded()))
        }
        var count = 0
        func set(_ x: Int, _ y: Int) {
            defer { count += 1 }
            guard count % every == 0 else { return }
            let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
            let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
            cells[y / 4][x / 2] |= (x % 2 == 0 ? left : right)[y % 4]
        }
        var previous = position(points[0])
        set(previous.x, previous.y)
        for point in points.dropFirst() {
            let next = position(point)
            let steps = max(abs(next.x - previous.x), abs(next.y - previous.y))
            if steps > 0 {
                for step in 1...steps {
                    set(previous.x + Int((Double((next.x - previous.x) * step) / Double(steps)).rounded()),
                        previous.y + Int((Double((next.y - previous.y) * step) / Double(steps)).rounded()))
                }
            }
            previous = next
        }
        return cells
    }
}

/// The legend of several series: each one's dash mark, name and last value, in its colour:
/// `━ kitchen/temp 21.4  ╍ outdoor temp 8`. Board tiles and the detail pane's overlaid plot show it.
struct SeriesLegend: Widget {
    /// Each series' name (already safe to show) and its last value.
    var entries: [(name: String, last: String?)]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        var x = area.x
        for (index, entry) in entries.enumerated() where x < area.maxX {
            let value = entry.last.map { " " + $0 } ?? ""
            let text = SeriesPlot.marks[index % SeriesPlot.marks.count] + " " + SafeText.line(entry.name, maxCharacters: 40) + value + "  "
            x += buffer.write(text, x: x, y: area.y, style: theme.style(SeriesPlot.roles[index % SeriesPlot.roles.count]),
                              maxWidth: area.maxX - x)
        }
    }
}
