import XCTest

@testable import Dashboard

/// `O`: other topics overlaid on the detail pane's plot, on one time axis with the board's legend.
final class PlotOverlayTests: XCTestCase {
    /// The house at 80x24 with a minute of temperatures outdoors (a wave) and in the cellar (rising),
    /// outdoor/temp selected.
    private static func house() -> DashboardState {
        var state = Fixture.house(width: 80, height: 24)
        for step in 0..<12 {
            let wave = Double([0, 1, 2, 1][step % 4])
            _ = update(&state, .message(Fixture.message("outdoor/temp", BraillePlot.format(8 + wave), at: 6 + 5 * Double(step))))
            _ = update(&state, .message(Fixture.message("cellar/temp", BraillePlot.format(9 + Double(step) / 4), at: 8 + 5 * Double(step))))
        }
        _ = update(&state, .tick(now: Fixture.t0 + 70))
        select(&state, "outdoor/temp")
        return state
    }

    private static func select(_ state: inout DashboardState, _ topic: String) {
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, topic)
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, topic)
    }

    private static func detail(_ state: DashboardState) -> [String] {
        let area = ScreenLayout(width: state.screenWidth, height: state.screenHeight).detail
        return BoardSnapshotTests.screen(state).map { line in
            String(line.dropFirst(area.x).prefix(area.width))
        }.prefix(area.maxY).map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }
    }

    func testOTogglesTheSelectedTopicAtThePlottedField() {
        var state = Self.house()
        _ = Fixture.press(&state, .character("O"))
        XCTAssertEqual(state.plotOverlays, [TileKey(topic: "outdoor/temp")])
        XCTAssertEqual(state.notice, "plot: outdoor/temp overlaid; select another topic to compare, O again takes it out")
        Self.select(&state, "livingroom/lamp")
        _ = Fixture.press(&state, .character("F"))
        Fixture.type(&state, "on")
        _ = Fixture.press(&state, .enter, .character("O"))
        XCTAssertEqual(state.plotOverlays, [TileKey(topic: "outdoor/temp"), TileKey(topic: "livingroom/lamp", field: "on")])
        _ = Fixture.press(&state, .character("O"))
        XCTAssertEqual(state.plotOverlays, [TileKey(topic: "outdoor/temp")])
        XCTAssertEqual(state.notice, "plot: livingroom/lamp on no longer overlaid")
    }

    func testAtMostThreeOverlaidSeries() {
        var state = Self.house()
        for topic in ["outdoor/temp", "cellar/temp", "livingroom/humidity", "livingroom/temp"] {
            Self.select(&state, topic)
            _ = Fixture.press(&state, .character("O"))
        }
        XCTAssertEqual(state.plotOverlays.map(\.topic), ["outdoor/temp", "cellar/temp", "livingroom/humidity"])
        XCTAssertEqual(state.notice, "plot: 3 series overlaid at most; O on one of them takes it out")
    }

    func testTheDetailPlotShowsTheSelectedAndTheOverlaidSeriesWithALegend() {
        var state = Self.house()
        _ = Fixture.press(&state, .character("O"))
        Self.select(&state, "cellar/temp")
        assertScreen(Self.detail(state), """
            ┌ cellar/temp ───────── automatic ─┐
            │cellar/temp                       │
            │QoS 0  5 B  22:14:23 (7 s ago)    │
            │─ Payload (auto: json) ───────────│
            │11.75                             │
            │                                  │
            │                                  │
            │━ cellar/temp 11.75  ╍ outdoor/tem│
            │11.75                    ⢀⣀⡠⠤⠤⠒⠒⠊⠉│
            │           ⡀   ⢀⣀⣀⠤⠤⠔⠒⠒⠉⠉⠁    ⡀   │
            │       ⣀⡠⠤⠦⠒⠒⡉⠉⠁  ⡀⠂⠁⠁⠂⡀    ⠄⠂ ⠂⠄ │
            │    8 ⡀⠂⠁     ⠂⠄⠄⠂      ⠂⠄⠄⠁      │
            │─ Recent (12) ────────────────────│
            │22:14:23  11.75                   │
            │22:14:18  11.5                    │
            └──────────────────────────────────┘
            """)
    }

    /// With no overlay the plot is the single series' as before; the selected topic overlaid on itself is not drawn twice.
    func testTheSelectedTopicIsPlottedOnce() {
        var state = Self.house()
        let before = Self.detail(state)
        _ = Fixture.press(&state, .character("O"))
        XCTAssertEqual(state.selectedDetailView().overlays, [], "the selected topic is the plot's own series")
        XCTAssertEqual(Self.detail(state), before)
        Self.select(&state, "cellar/temp")
        XCTAssertEqual(state.selectedDetailView().overlays.map(\.name), ["outdoor/temp"])
        XCTAssertEqual(state.selectedDetailView().overlays.first?.points.count, 12, "the overlaid topic's kept history")
        _ = Fixture.press(&state, .character("O"))
        XCTAssertEqual(state.selectedDetailView().overlays.map(\.name), ["outdoor/temp"])
    }
}
