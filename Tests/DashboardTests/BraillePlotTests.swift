import XCTest

@testable import Dashboard

final class BraillePlotTests: XCTestCase {
    func testRisingLineWithKnownValues() {
        // 8 values on a 4x2-cell plot: one dot per dot column, one dot row up each step.
        let points = (0..<8).map { PlotPoint(time: Double($0), value: Double($0)) }
        XCTAssertEqual(DetailFixture.render(BraillePlot(points: points, title: "t"), width: 6, height: 3), [
            "t  min",
            "7   ⡠⠊",
            "0 ⡠⠊",
        ])
        XCTAssertEqual(DetailFixture.render(BraillePlot(points: points, title: "temp"), width: 40, height: 1), [
            "temp  min 0  max 7  last 7",
        ])
    }

    func testPointsArePlacedByTimeAndJoined() {
        // Two samples far apart in time: the line between them fills the columns in between.
        let points = [PlotPoint(time: 0, value: 1), PlotPoint(time: 1, value: 1), PlotPoint(time: 7, value: 2)]
        let cells = BraillePlot.dots(points, columns: 4, rows: 1, low: 1, high: 2)
        // Dot columns 0 and 1 at the bottom, rising to the top at column 7.
        XCTAssertEqual(cells, [[0x40 | 0x80, 0x04 | 0x20, 0x02 | 0x10, 0x01 | 0x08]])
    }

    func testFlatSeriesSitsInTheMiddle() {
        let points = (0..<4).map { PlotPoint(time: Double($0), value: 5) }
        let lines = DetailFixture.render(BraillePlot(points: points, title: "t"), width: 30, height: 2)
        XCTAssertEqual(lines, ["t  min 5  max 5  last 5", "5 " + String(repeating: "⠒", count: 28)])
    }

    func testTooFewPointsSayWhy() {
        XCTAssertEqual(DetailFixture.render(BraillePlot(points: [], title: "temp"), width: 40, height: 3)[0],
                       "temp: no numeric values to plot")
        XCTAssertEqual(DetailFixture.render(BraillePlot(points: [PlotPoint(time: 0, value: 1)], title: "temp"), width: 50, height: 3)[0],
                       "temp: only 1 numeric value; need 2 to plot")
        // Non-finite values are dropped rather than breaking the scale.
        XCTAssertEqual(BraillePlot(points: [PlotPoint(time: 0, value: .infinity), PlotPoint(time: 1, value: 2)]).points.count, 1)
    }

    func testNumberLabels() {
        XCTAssertEqual(BraillePlot.format(24), "24")
        XCTAssertEqual(BraillePlot.format(-3.5), "-3.5")
        XCTAssertEqual(BraillePlot.format(21.456), "21.46")
        XCTAssertEqual(BraillePlot.format(1e3), "1000")
    }
}
