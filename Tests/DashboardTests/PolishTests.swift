import XCTest

@testable import Dashboard

/// Issue 12 §5: the first selection and what the help says over 3.1.1.
final class PolishTests: XCTestCase {
    func testTheFirstTopicWithAMessageIsSelectedUntilTheUserMoves() {
        var state = Fixture.house(width: 120, height: 40)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, "garage/door")
        XCTAssertFalse(Fixture.screen(state).joined().contains("No topic selected"))
        _ = Fixture.press(&state, .home)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, "garage", "once chosen, kept")
    }

    func testBeforeAnyMessageNothingIsSelected() {
        let state = DashboardState(settings: Fixture.settings())
        XCTAssertNil(state.selection)
    }

    func testTheHelpSaysWhatTheRetainedMarkerMeansOver311() {
        var settings = Fixture.settings()
        settings.isV5 = false
        var state = DashboardState(settings: settings)
        _ = update(&state, .resize(width: 120, height: 40))
        _ = Fixture.press(&state, .character("?"))
        XCTAssertTrue(Fixture.screen(state).contains { $0.contains("over 3.1.1 ® = seen retained · any key closes") })
        var v5 = Fixture.house(width: 120, height: 40)
        _ = Fixture.press(&v5, .character("?"))
        XCTAssertFalse(Fixture.screen(v5).contains { $0.contains("3.1.1:") })
    }

    func testTheMarkerStaysOver311UntilAnEmptyMessageClearsIt() {
        var settings = Fixture.settings()
        settings.isV5 = false
        var state = DashboardState(settings: settings)
        _ = update(&state, .message(Fixture.message("s", "online", retain: true)))
        let id = state.tree.node("s")!
        _ = update(&state, .message(Fixture.message("s", "still", at: 1)))
        XCTAssertTrue(state.tree.nodes[id].retained, "a live update (retain flag cleared by the broker) keeps it")
        _ = update(&state, .message(Fixture.message("s", "", at: 2)))
        XCTAssertFalse(state.tree.nodes[id].retained)
    }
}
