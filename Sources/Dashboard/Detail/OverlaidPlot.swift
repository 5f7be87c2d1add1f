/// One series of the detail pane's plot: a topic (and field) and its values over time.
public struct PlotSeries: Sendable, Equatable {
    public var name: String
    public var points: [PlotPoint]

    public init(name: String, points: [PlotPoint]) {
        self.name = name
        self.points = points.filter { $0.value.isFinite && $0.time.isFinite }
    }
}

/// The detail pane's plot when other series are overlaid (`O`): the legend of a multi-series board tile on
/// the first row (each series' mark, name and last value), then the series on one time axis, from the
/// oldest value shown to the newest, with the maximum and minimum of them all on the left as `BraillePlot` has.
struct OverlaidPlot: Widget {
    var series: [PlotSeries]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        SeriesLegend(entries: series.map { ($0.name, $0.points.last.map { BraillePlot.format($0.value) }) })
            .render(in: Rect(x: area.x, y: area.y, width: area.width, height: 1), buffer: &buffer, theme: theme)
        let times = series.flatMap { $0.points.map(\.time) }
        guard let start = times.min(), let end = times.max() else { return }
        // One instant only: spread it over a second rather than plot nothing.
        let plot = SeriesPlot(series: series.map(\.points), start: start, end: end > start ? end : start + 1)
        guard let (low, high) = plot.range else { return }
        let rows = area.height - 1
        let labels = [BraillePlot.format(high), BraillePlot.format(low)]
        let labelWidth = labels.map(\.count).max()! + 1
        guard rows > 0, area.width > labelWidth else { return }
        for (text, y) in [(labels[0], area.y + 1), (labels[1], area.y + rows)].prefix(rows > 1 ? 2 : 1) {
            buffer.write(String(repeating: " ", count: labelWidth - 1 - text.count) + text, x: area.x, y: y, style: theme.style(.dim))
        }
        plot.render(in: Rect(x: area.x + labelWidth, y: area.y + 1, width: area.width - labelWidth, height: rows), buffer: &buffer, theme: theme)
    }
}
