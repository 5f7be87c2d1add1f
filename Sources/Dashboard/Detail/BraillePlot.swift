/// One sample of a plotted series.
public struct PlotPoint: Hashable, Sendable {
    /// Seconds since 1970.
    public var time: Double
    public var value: Double

    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A line plot of values over time in braille characters: each cell holds 2x4 dots, so an
/// 80x6 area gives 160x24 points of resolution. The first row is a legend (min, max, last);
/// the y axis is labelled with max at the top and min at the bottom.
public struct BraillePlot: Widget {
    public var points: [PlotPoint]
    public var title: String

    public init(points: [PlotPoint], title: String = "plot") {
        self.points = points.filter { $0.value.isFinite && $0.time.isFinite }
        self.title = title
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        guard points.count >= 2, let low = points.map(\.value).min(), let high = points.map(\.value).max(), let last = points.last else {
            let why = points.isEmpty ? "no numeric values to plot" : "only 1 numeric value; need 2 to plot"
            buffer.write(SafeText.line(title) + ": " + why, x: area.x, y: area.y, style: theme.style(.dim), maxWidth: area.width)
            return
        }
        let legend = "\(SafeText.line(title))  min \(Self.format(low))  max \(Self.format(high))  last \(Self.format(last.value))"
        buffer.write(legend, x: area.x, y: area.y, style: theme.style(.title), maxWidth: area.width)
        let rows = area.height - 1
        let labels = [Self.format(high), Self.format(low)]
        let labelWidth = labels.map(\.count).max()! + 1
        let columns = area.width - labelWidth
        guard rows > 0, columns > 0 else { return }
        // With a single row only the maximum fits; the legend still says the minimum.
        for (text, y) in [(labels[0], area.y + 1), (labels[1], area.y + rows)].prefix(rows > 1 ? 2 : 1) {
            let padded = String(repeating: " ", count: labelWidth - 1 - text.count) + text
            buffer.write(padded, x: area.x, y: y, style: theme.style(.dim))
        }
        let cells = Self.dots(points, columns: columns, rows: rows, low: low, high: high)
        for row in 0..<rows {
            for column in 0..<columns where cells[row][column] != 0 {
                let glyph = Character(Unicode.Scalar(0x2800 + UInt32(cells[row][column]))!)
                buffer[area.x + labelWidth + column, area.y + 1 + row] = Cell(text: String(glyph), style: theme.style(.plot))
            }
        }
    }

    /// Dot bits per cell (`rows` x `columns`), braille numbering: left column dots 1,2,3,7 and right
    /// column 4,5,6,8 from the top.
    static func dots(_ points: [PlotPoint], columns: Int, rows: Int, low: Double, high: Double) -> [[UInt8]] {
        var cells = Array(repeating: Array(repeating: UInt8(0), count: columns), count: rows)
        let width = columns * 2
        let height = rows * 4
        let first = points.first!.time
        let span = points.last!.time - first
        func position(_ index: Int) -> (x: Int, y: Int) {
            let point = points[index]
            // Over time when the times differ; evenly spaced when they do not (or go backwards).
            let share = span > 0 ? (point.time - first) / span : Double(index) / Double(points.count - 1)
            let x = Int((min(1, max(0, share)) * Double(width - 1)).rounded())
            let level = high > low ? (point.value - low) / (high - low) : 0.5
            let y = height - 1 - Int((level * Double(height - 1)).rounded())
            return (x, y)
        }
        func set(_ x: Int, _ y: Int) {
            let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
            let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
            cells[y / 4][x / 2] |= (x % 2 == 0 ? left : right)[y % 4]
        }
        var previous = position(0)
        set(previous.x, previous.y)
        for index in 1..<points.count {
            let next = position(index)
            // Join neighbours so that a jump reads as a line, not two lonely dots.
            let steps = max(abs(next.x - previous.x), abs(next.y - previous.y), 1)
            for step in 1...steps {
                let x = previous.x + Int((Double((next.x - previous.x) * step) / Double(steps)).rounded())
                let y = previous.y + Int((Double((next.y - previous.y) * step) / Double(steps)).rounded())
                set(x, y)
            }
            previous = next
        }
        return cells
    }

    /// Short number text without Foundation: integers as such, else two decimals at most.
    public static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        let rounded = (value * 100).rounded() / 100
        if rounded.rounded() == rounded, abs(rounded) < 1e15 { return String(Int(rounded)) }
        return "\(rounded)"
    }
}
