import XCTest

@testable import Dashboard

final class ResizeTests: XCTestCase {
    /// Every size from nothing to 200x60, with each overlay open: nothing may trap, and below the
    /// minimum the screen says so.
    func testEverySizeRendersWithEveryOverlay() {
        var states: [DashboardState] = []
        for keys: [Key] in [[], [.character("?")], [.end, .character("h"), .character("D")], [.character("S"), .character("a")],
                            [.character("p")], [.character("/"), .character("x")], [.tab, .up]] {
            var state = Fixture.house()
            _ = keys.flatMap { update(&state, .key($0)) }
            states.append(state)
        }
        for width in stride(from: 0, through: 200, by: 9) {
            for height in stride(from: 0, through: 60, by: 4) {
                for var state in states {
                    _ = update(&state, .resize(width: width, height: height))
                    _ = update(&state, .key(.down))
                    _ = update(&state, .mouse(.click(x: width / 3, y: height / 3)))
                    let screen = Fixture.screen(state)
                    XCTAssertEqual(screen.count, height)
                    if (width < 40 || height < 10) && width >= 31 && height > 0 {
                        XCTAssertTrue(screen.contains { $0.contains("terminal too small (need 40x10)") }, "\(width)x\(height)")
                    }
                }
            }
        }
    }

    func testShrinkingFoldsTheTreeAndHighlightsTheSelectionsAncestor() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .end)
        _ = update(&state, .resize(width: 80, height: 12))
        // Five tree rows: only the first level fits, so the automatic expansion folds it.
        XCTAssertEqual(state.treeRows.count, 3)
        XCTAssertEqual(state.selectedRow, 2, "livingroom stands in for its folded child")
        XCTAssertEqual(Fixture.screen(state)[0].hasPrefix("┌ Topics ───"), true)
        XCTAssertTrue(Fixture.screen(state)[0].contains("┌ livingroom/temp ─"), "the detail still shows the selection")
        _ = Fixture.press(&state, .down)
        XCTAssertEqual(state.selectedRow, 2, "moving on from the stand-in row: livingroom is the last")
    }
}
