import NIOCore
import XCTest

@testable import Dashboard

/// `e`: the dialog's keys and the rows each choice collects.
final class ExportDialogTests: XCTestCase {
    private func messages(_ command: [DashboardCommand]) -> [String] {
        guard case .export(let request)? = command.first, case .messages(let messages) = request.content else { return [] }
        return messages.map { $0.topic + "=" + String(buffer: $0.payload) }
    }

    private func select(_ state: inout DashboardState, _ topic: String) {
        state.selectedNode = state.tree.node(topic)
    }

    func testTheLogAsFilteredToJSONLines() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("f"))
        Fixture.type(&state, "livingroom/+")
        _ = Fixture.press(&state, .enter, .character("e"))
        XCTAssertEqual(state.exportDialog?.path, "mqdash-export-20231114-221325.jsonl")
        XCTAssertTrue(Fixture.screen(state).joined(separator: "\n").contains("▸ the log as filtered"))
        _ = Fixture.press(&state, .control("u"))
        _ = update(&state, .paste("log\n"))
        Fixture.type(&state, ".jsonl")
        let command = Fixture.press(&state, .enter)
        guard case .export(let request)? = command.first else { return XCTFail("\(command)") }
        XCTAssertEqual(request.path, "log.jsonl")
        XCTAssertEqual(request.format, .jsonl)
        XCTAssertEqual(messages(command), ["livingroom/temp=24.1", "livingroom/humidity=45", "livingroom/lamp={\"on\":true}", "livingroom/temp=24.3"])
        XCTAssertNil(state.exportDialog)
    }

    func testTheSelectedTopicsHistoryAsCSVChangesTheExtension() {
        var state = Fixture.house()
        select(&state, "livingroom/temp")
        _ = Fixture.press(&state, .character("e"), .down, .right)
        XCTAssertEqual(state.exportDialog?.format, .csv)
        XCTAssertEqual(state.exportDialog?.path, "mqdash-export-20231114-221325.csv")
        let command = Fixture.press(&state, .enter)
        guard case .export(let request)? = command.first else { return XCTFail("\(command)") }
        XCTAssertEqual(request.format, .csv)
        XCTAssertEqual(messages(command), ["livingroom/temp=24.1", "livingroom/temp=24.3"])
    }

    func testTheLatestValueOfEveryTopicBelowTheSelection() {
        var state = Fixture.house()
        select(&state, "livingroom")
        let command = Fixture.press(&state, .character("e"), .down, .down, .enter)
        XCTAssertEqual(messages(command), ["livingroom/humidity=45", "livingroom/lamp={\"on\":true}", "livingroom/temp=24.3"])
    }

    func testThePlottedSeriesIsCSVOfTimeAndValue() {
        var state = Fixture.house()
        select(&state, "livingroom/temp")
        let command = Fixture.press(&state, .character("e"), .up)
        XCTAssertEqual(state.exportDialog?.source, .plot)
        XCTAssertEqual(state.exportDialog?.path, "mqdash-export-20231114-221325.csv", "the plot is CSV only")
        guard case .export(let request)? = Fixture.press(&state, .enter).first, case .series(let series) = request.content else {
            return XCTFail("\(command)")
        }
        XCTAssertEqual(request.format, .csv)
        XCTAssertEqual(series, [PlotSeries(name: "livingroom/temp",
                                           points: [PlotPoint(time: Fixture.t0, value: 24.1), PlotPoint(time: Fixture.t0 + 4, value: 24.3)])])
    }

    func testThePlotExportCarriesTheOverlaidSeriesAfterTheSelectedOne() {
        var state = Fixture.house()
        select(&state, "livingroom/temp")
        _ = Fixture.press(&state, .character("O"))
        select(&state, "livingroom/humidity")
        _ = Fixture.press(&state, .character("e"), .up)
        guard case .export(let request)? = Fixture.press(&state, .enter).first, case .series(let series) = request.content else {
            return XCTFail("no export")
        }
        XCTAssertEqual(series.map(\.name), ["livingroom/humidity", "livingroom/temp"])
        XCTAssertEqual(series[1].points, [PlotPoint(time: Fixture.t0, value: 24.1), PlotPoint(time: Fixture.t0 + 4, value: 24.3)])
        XCTAssertEqual(request.rowCount, series[0].points.count + 2)
    }

    func testNoTopicSelectedOrNoNameIsSaidInTheDialogAndEscapeCloses() {
        var state = Fixture.house()
        select(&state, "livingroom/temp")
        XCTAssertEqual(Fixture.press(&state, .character("e"), .control("u"), .enter), [])
        XCTAssertEqual(state.exportDialog?.error, "give a file name")
        XCTAssertTrue(Fixture.screen(state).joined(separator: "\n").contains("give a file name"))
        XCTAssertEqual(Fixture.press(&state, .escape), [])
        XCTAssertNil(state.exportDialog)
    }

    func testTheOutcomeIsOnTheStatusBar() {
        var state = Fixture.house(width: 100)
        _ = update(&state, .exported(ExportOutcome(path: "a.csv", rows: 3)))
        XCTAssertTrue(Fixture.screen(state).last!.contains("exported 3 rows to a.csv"))
        _ = update(&state, .exported(ExportOutcome(path: "a.csv", rows: 0, error: "a.csv exists; choose another name")))
        XCTAssertTrue(Fixture.screen(state).last!.contains("export failed: a.csv exists; choose another name"))
    }
}
