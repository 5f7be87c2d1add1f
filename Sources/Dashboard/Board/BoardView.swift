/// `W`: the current board's tiles in a grid. Each tile: its name and the plot window on the border, the
/// current value with its unit, minimum and maximum over the window, a braille sparkline, and the age of
/// the last message. A tile whose rule fires (and is not acknowledged) is drawn in the error colour.
struct BoardView: Widget {
    var board: BoardState
    var now: Double

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.fill(area, style: theme.style(.text))
        guard let current = board.board, !current.tiles.isEmpty else {
            Frame(title: "Board " + (board.board.map { SafeText.line($0.name) } ?? ""), focused: true)
                .render(in: area, buffer: &buffer, theme: theme)
            let inner = Frame.inner(area)
            buffer.write("No tiles yet: select a topic (F picks a field) and press P to pin it; W goes back.",
                         x: inner.x, y: inner.y, style: theme.style(.dim), maxWidth: inner.width)
            return
        }
        guard BoardGrid.fits(area) else {
            let text = "too small for the board (need \(BoardGrid.minimumTileWidth)x\(BoardGrid.minimumTileHeight))"
            buffer.write(text, x: area.x, y: area.y + area.height / 2, style: theme.style(.error), maxWidth: area.width)
            return
        }
        let placed = BoardGrid.place(spans: current.tiles.map(\.span), in: area, selected: board.selectedTile)
        for (index, rect) in placed.tiles {
            let tile = current.tiles[index]
            TileView(tile: tile, lives: board.live, selected: index == board.selectedTile,
                     alerting: board.isAlerting(tile), window: board.window, now: now, cache: board.plotCache)
                .render(in: rect, buffer: &buffer, theme: theme)
        }
        if placed.hidden > 0 {
            let note = " \(placed.hidden) more tiles: arrows scroll "
            buffer.write(note, x: max(area.x, area.maxX - DisplayWidth.of(note) - 1), y: area.maxY - 1, style: theme.style(.dim))
        }
    }
}

/// One tile of the board.
struct TileView: Widget {
    var tile: BoardTile
    /// The figures of the board's series; the tile reads its own and those it plots.
    var lives: [TileKey: TileLive]
    var live: TileLive? { lives[tile.key] }
    var selected: Bool
    var alerting: Bool
    var window: Int
    var now: Double
    /// Plots kept from earlier frames; nil draws every plot.
    var cache: TilePlotCache? = nil

    static func windowName(_ index: Int) -> String {
        let seconds = Int(TileSeries.windows[index])
        return seconds >= 3600 ? "\(seconds / 3600)h" : "\(seconds / 60)m"
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        Frame(title: SafeText.line(tile.name, maxCharacters: 200), note: Self.windowName(window), focused: selected,
              focusMark: .edges)
            .render(in: area, buffer: &buffer, theme: theme)
        if alerting { paintBorder(area, style: theme.style(.error), buffer: &buffer) }
        let inner = Frame.inner(area).inset(horizontal: 1)
        guard inner.height >= 3, inner.width > 0 else { return }
        let valueStyle = alerting ? theme.style(.error) : theme.style(.title)
        let unit = tile.unit.map { " " + SafeText.line($0, maxCharacters: 20) } ?? ""
        let value = live?.lastText.map { $0 + unit } ?? "no message yet"
        buffer.write(value, x: inner.x, y: inner.y, style: live == nil ? theme.style(.dim) : valueStyle.adding(.bold), maxWidth: inner.width)

        let plotted = tile.plotted
        let range = drawPlot(plotted, in: Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 3),
                             buffer: &buffer, theme: theme)
        if plotted.count == 1, let (low, high) = range {
            buffer.write("min \(BraillePlot.format(low))  max \(BraillePlot.format(high))", x: inner.x, y: inner.y + 1,
                         style: theme.style(.dim), maxWidth: inner.width)
        } else if plotted.count > 1 {
            SeriesLegend(entries: plotted.map { ($0.name, lives[$0]?.lastText) })
                .render(in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: 1), buffer: &buffer, theme: theme)
        }
        var footer = live?.lastTime.map { DetailTime.ago($0, now: now) } ?? ""
        if alerting { footer = "ALERT " + footer }
        let rules = tile.conditions.isEmpty ? "" : "  " + tile.conditions.map(\.description).joined(separator: ", ")
        buffer.write(footer + rules, x: inner.x, y: inner.maxY - 1, style: alerting ? theme.style(.error) : theme.style(.dim),
                     maxWidth: inner.width)
    }

    /// The series' plot, kept in `cache` between frames; returns the value range it spans.
    private func drawPlot(_ plotted: [TileKey], in area: Rect, buffer: inout Buffer, theme: Theme) -> (low: Double, high: Double)? {
        let key = TilePlotKey(plotted: plotted, width: area.width, height: area.height, window: window, alerting: alerting)
        let stamps = plotted.map { lives[$0]?.stamp ?? 0 }
        if let kept = cache?.plot(key, stamps: stamps, now: now) {
            for (x, y, cell) in kept.cells { buffer[area.x + x, area.y + y] = cell }
            return kept.range
        }
        let series = plotted.map { lives[$0]?.series.points(window: window, now: now) ?? [] }
        let plot = SeriesPlot(series: series, start: now - TileSeries.windows[window], end: now)
        plot.render(in: area, buffer: &buffer, theme: theme, alerting: alerting)
        if let cache {
            // The plot writes only braille cells on a blank area: those are the drawing.
            var cells: [(x: Int, y: Int, cell: Cell)] = []
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX where buffer[x, y].text.unicodeScalars.first.map({ (0x2801...0x28FF).contains($0.value) }) ?? false {
                    cells.append((x - area.x, y - area.y, buffer[x, y]))
                }
            }
            let until = SeriesPlot.unchangedUntil(series, window: window, columns: area.width, now: now)
            cache.keep(TilePlot(stamps: stamps, drawnAt: now, unchangedUntil: until, range: plot.range, cells: cells), as: key)
        }
        return plot.range
    }

    private func paintBorder(_ area: Rect, style: Style, buffer: inout Buffer) {
        for x in area.x..<area.maxX {
            for y in [area.y, area.maxY - 1] where buffer[x, y].text.unicodeScalars.first.map({ (0x2500...0x257F).contains($0.value) }) ?? false {
                buffer[x, y].style = style
            }
        }
        for y in area.y..<area.maxY {
            for x in [area.x, area.maxX - 1] { buffer[x, y].style = style }
        }
    }
}

extension Rect {
    func inset(horizontal amount: Int) -> Rect { Rect(x: x + amount, y: y, width: width - 2 * amount, height: height) }
}

extension Style {
    func adding(_ attributes: TextAttributes) -> Style {
        var style = self
        style.attributes.formUnion(attributes)
        return style
    }
}

/// The board over the panes when `W` shows it, and the alerts pane over the log when `!` opened it.
func renderBoard(_ state: DashboardState, layout: ScreenLayout, buffer: inout Buffer, theme: Theme) {
    if state.board.isOpen {
        let bottom = state.board.alertsOpen ? layout.tree.maxY : layout.log.maxY
        state.board.plotCache.beginFrame(theme: theme)
        BoardView(board: state.board, now: state.now)
            .render(in: Rect(x: 0, y: 0, width: layout.screen.width, height: bottom), buffer: &buffer, theme: theme)
        state.board.plotCache.endFrame()
    }
    if state.board.alertsOpen {
        AlertsPaneView(board: state.board).render(in: layout.log, buffer: &buffer, theme: theme)
    }
}
