/// The board's tile plots kept from one frame to the next. A key on the board used to redraw every tile
/// (buckets to points, points to braille) although most had not changed; a tile's plot is now drawn
/// again only when its figures, its size, the window, its alert state or the theme changed, or when time
/// has moved the plot's axis far enough to move a dot. Kept cells are exactly the cells a fresh drawing
/// gives (the tests compare the two). A reference that the read-only `render` fills, detached by `update`
/// like `RowCache`; only touched by the thread that owns the state, hence `@unchecked Sendable`.
final class TilePlotCache: @unchecked Sendable {
    private var plots: [TilePlotKey: TilePlot] = [:]
    private var theme: Theme?
    private var frame = 0
    /// Tile plots drawn and plots reused by the last frame (for the tests).
    private(set) var drawn = 0
    private(set) var reused = 0

    /// A new frame drawn with `theme`: a theme change forgets every plot.
    func beginFrame(theme: Theme) {
        if theme != self.theme {
            plots.removeAll()
            self.theme = theme
        }
        frame += 1
        drawn = 0
        reused = 0
    }

    /// Forgets the plots the frame did not show (tiles removed, scrolled off, or at another size).
    func endFrame() {
        if plots.count > drawn + reused { plots = plots.filter { $0.value.frame == frame } }
    }

    /// The kept plot of `key` if it is still what a drawing at `now` gives.
    func plot(_ key: TilePlotKey, stamps: [Int], now: Double) -> TilePlot? {
        guard var plot = plots[key], plot.stamps == stamps, plot.drawnAt <= now, now < plot.unchangedUntil else { return nil }
        plot.frame = frame
        plots[key] = plot
        reused += 1
        return plot
    }

    func keep(_ plot: TilePlot, as key: TilePlotKey) {
        var plot = plot
        plot.frame = frame
        plots[key] = plot
        drawn += 1
    }
}

/// What a tile's plot depends on besides its figures and the clock.
struct TilePlotKey: Hashable {
    var plotted: [TileKey]
    var width: Int
    var height: Int
    var window: Int
    var alerting: Bool
}

/// A tile's drawn plot: its braille cells relative to the plot's corner, and the value range the tile's
/// min/max line shows.
struct TilePlot {
    var stamps: [Int]
    var drawnAt: Double
    /// The first time at which the same figures could give other cells (see `SeriesPlot.unchangedUntil`).
    var unchangedUntil: Double
    var range: (low: Double, high: Double)?
    var cells: [(x: Int, y: Int, cell: Cell)]
    var frame = 0
}

extension SeriesPlot {
    /// How long a plot of the same figures over the moving window `[now - window, now]` on `columns`
    /// columns draws the same cells: until a point's column rounds differently, or until the buckets
    /// move on (a new bucket starts, the oldest leaves), a millisecond early to stay clear of rounding.
    static func unchangedUntil(_ series: [[PlotPoint]], window: Int, columns: Int, now: Double) -> Double {
        let seconds = TileSeries.windows[window]
        let bucketWidth = seconds / Double(TileSeries.bucketCount)
        var limit = Double(Int((now / bucketWidth).rounded(.down)) + 1) * bucketWidth
        let dots = Double(columns * 2 - 1)
        if dots > 0 {
            for point in series.joined() {
                // `dots` placing: x = round(share * dots), share falling as `now` grows; x drops to n - 1
                // once share * dots < n - 0.5. Column 0 never changes again.
                let share = min(1, max(0, (point.time - (now - seconds)) / seconds))
                let column = (share * dots).rounded()
                guard column > 0 else { continue }
                limit = min(limit, point.time + seconds - (column - 0.5) * seconds / dots)
            }
        }
        return limit - 0.001
    }
}
