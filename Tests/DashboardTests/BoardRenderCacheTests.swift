import XCTest

@testable import Dashboard

/// The board's tile plots kept between frames (`TilePlotCache`): a frame redraws only the tiles whose plot
/// changed, and what it keeps is exactly what a fresh drawing gives.
final class BoardRenderCacheTests: XCTestCase {
    /// Renders `state` (with the plots it kept), checks the screen is the one drawn with nothing kept, and returns it.
    @discardableResult
    private func frame(_ state: DashboardState, theme: Theme = .monochrome,
                       file: StaticString = #filePath, line: UInt = #line) -> Buffer {
        var cached = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &cached, theme: theme)
        var unkept = state
        unkept.board.plotCache = TilePlotCache()
        var fresh = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(unkept, into: &fresh, theme: theme)
        XCTAssertEqual(cached.lines(), fresh.lines(), "kept plots differ from a fresh drawing", file: file, line: line)
        XCTAssertEqual(cached, fresh, "styles differ", file: file, line: line)
        return cached
    }

    private static func twelveTiles() -> DashboardState {
        BoardSnapshotTests.board(width: 200, height: 60, count: 12)
    }

    func testAnUnchangedBoardReusesEveryPlotAndAKeyRedrawsNone() {
        var state = Self.twelveTiles()
        var cache: TilePlotCache { state.board.plotCache }
        frame(state)
        XCTAssertEqual([cache.drawn, cache.reused], [12, 0])
        frame(state)
        XCTAssertEqual([cache.drawn, cache.reused], [0, 12])
        // Moving the selection changes two tiles' frames, not their plots.
        _ = Fixture.press(&state, .character("l"))
        frame(state)
        XCTAssertEqual([cache.drawn, cache.reused], [0, 12])
    }

    /// The selected tile is marked on its top and bottom edges (and its title), not its sides: a key that moves the
    /// selection changes four runs of cells, not two cells on each of the two tiles' rows.
    func testMovingTheSelectionChangesOnlyTheTwoTilesTopAndBottomEdges() {
        var state = Self.twelveTiles()
        let before = frame(state)
        _ = Fixture.press(&state, .character("j"))
        let after = frame(state)
        let changes = after.changes(since: before)
        XCTAssertFalse(changes.isEmpty)
        let rows = Set(changes.map(\.y))
        XCTAssertLessThanOrEqual(rows.count, 4, "rows changed: \(rows.sorted())")
        for row in rows {
            let line = after.lines()[row]
            XCTAssertTrue(line.contains("┌") || line.contains("└"), "row \(row) is not an edge: \(line)")
        }
        let title = changes.filter { $0.cell.style == Theme.monochrome.style(.selection) }
        XCTAssertFalse(title.isEmpty, "the selected tile's title is in the selection role")
    }

    func testAMessageRedrawsOnlyItsTile() {
        var state = Self.twelveTiles()
        var cache: TilePlotCache { state.board.plotCache }
        frame(state)
        _ = update(&state, .message(Fixture.message("room3/temp", "30", at: 6 + 5 * 119 + 0.5)))
        let screen = frame(state)
        XCTAssertEqual([cache.drawn, cache.reused], [1, 11])
        XCTAssertTrue(screen.lines()[1].contains("30 °C"), "the new value shows")
        // A message for a topic no tile shows changes no plot.
        _ = update(&state, .message(Fixture.message("livingroom/temp", "19", at: 6 + 5 * 119 + 0.6)))
        frame(state)
        XCTAssertEqual([cache.drawn, cache.reused], [0, 12])
    }

    func testResizeThemeWindowAndAlertRedrawEveryPlotTheyChange() {
        var state = Self.twelveTiles()
        var cache: TilePlotCache { state.board.plotCache }
        frame(state)
        _ = update(&state, .resize(width: 190, height: 60))
        frame(state)
        XCTAssertEqual(cache.reused, 0, "a new size draws every tile")
        XCTAssertEqual(cache.drawn, 12)

        let light = Theme(name: "other", styles: [.plot: Style(attributes: .bold)])
        frame(state, theme: light)
        XCTAssertEqual([cache.drawn, cache.reused], [12, 0], "a new theme draws every tile")
        frame(state, theme: light)
        XCTAssertEqual([cache.drawn, cache.reused], [0, 12])

        _ = Fixture.press(&state, .character("-"))
        frame(state, theme: light)
        XCTAssertEqual([cache.drawn, cache.reused], [12, 0], "another window draws every tile")

        // room1 crosses no rule; room0 (above 25) is alerting: acknowledging it turns it back, so its plot is redrawn.
        _ = Fixture.press(&state, .character("!"))
        _ = Fixture.press(&state, .character("a"))
        _ = Fixture.press(&state, .escape)
        frame(state, theme: light)
        XCTAssertEqual([cache.drawn, cache.reused], [1, 11])
    }

    /// The clock moves the plots' axis: in steps shorter than a tick over 12 s (across a bucket's end),
    /// every frame equals a fresh drawing, plots are drawn again as dots move, and reused in between.
    /// (With ten minutes of data, 120 points per plot, some point changes column about every 0.1 s.)
    func testTimeMovesThePlotsOnlyWhenADotWouldMove() {
        var state = BoardSnapshotTests.board(width: 120, height: 40)
        var cache: TilePlotCache { state.board.plotCache }
        frame(state)
        var drawn = 0
        var reused = 0
        let start = state.now
        for step in 1...480 {
            _ = update(&state, .tick(now: start + Double(step) * 0.025))
            frame(state)
            drawn += cache.drawn
            reused += cache.reused
        }
        XCTAssertGreaterThan(drawn, 6 * 12, "the axis moved the plots")
        XCTAssertGreaterThan(reused, drawn, "most frames reuse most plots")
    }

    func testTheTimeAPlotStaysTheSameEndsWhenAPointWouldChangeColumn() {
        // The 24-hour window (buckets of 1440 s) on 40 columns: 79 dot steps of 86400/79 s. A point at the
        // newest end stays in the last dot column until its share falls under 78.5/79, half a step later.
        let now = 1440.0 * 10 + 1
        let newest = PlotPoint(time: now, value: 1)
        XCTAssertEqual(SeriesPlot.unchangedUntil([[newest]], window: 3, columns: 40, now: now), now + 86400.0 / 158 - 0.001, accuracy: 1e-6)
        // A point in column 0 never moves again; then the next bucket (at 1440 * 11) ends it.
        let oldest = PlotPoint(time: now - 86400, value: 1)
        XCTAssertEqual(SeriesPlot.unchangedUntil([[oldest]], window: 3, columns: 40, now: now), 1440 * 11 - 0.001, accuracy: 1e-6)
        XCTAssertEqual(SeriesPlot.unchangedUntil([], window: 3, columns: 40, now: now), 1440 * 11 - 0.001, accuracy: 1e-6)
    }
}
