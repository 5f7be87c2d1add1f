import XCTest

@testable import Dashboard

/// Which role each part of the screen asks for; snapshots cover the text, these the colours.
final class WidgetStyleTests: XCTestCase {
    /// Every role gets a style of its own, so a cell's style names the role that drew it.
    private let theme = Theme(name: "roles", styles: Dictionary(uniqueKeysWithValues: Role.allCases.enumerated().map {
        ($0.element, Style(foreground: .indexed(UInt8($0.offset + 1))))
    }))

    private func role(at x: Int, _ y: Int, in state: DashboardState) -> Role? {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: theme)
        return Role.allCases.first { theme.style($0) == buffer[x, y].style }
    }

    private func column(of text: String, row: Int, in state: DashboardState) -> Int {
        let line = Fixture.screen(state)[row]
        return line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound)
    }

    func testRetainedMarkerFlashAndSelection() {
        var state = Fixture.house()
        // Row 10 is livingroom/temp: retained, changed at t0+4.
        XCTAssertEqual(role(at: column(of: "®", row: 10, in: state), 10, in: state), .retained)
        XCTAssertEqual(role(at: column(of: "24.3", row: 10, in: state), 10, in: state), .text, "a second after the change")
        _ = update(&state, .tick(now: Fixture.t0 + 4.5))
        XCTAssertEqual(role(at: column(of: "24.3", row: 10, in: state), 10, in: state), .flash)
        XCTAssertEqual(role(at: column(of: "door", row: 2, in: state), 2, in: state), .selection, "the first topic with a message")
        XCTAssertEqual(role(at: 0, 23, in: state), .statusConnected)
        XCTAssertEqual(role(at: 0, 0, in: state), .title, "the focused pane's border")
        XCTAssertEqual(role(at: 0, 16, in: state), .border)
    }

    func testStatusTexts() {
        XCTAssertEqual(StatusBar.connectionText(.connecting, now: 0), "connecting")
        XCTAssertEqual(StatusBar.connectionText(.connected, now: 0), "connected")
        XCTAssertEqual(StatusBar.connectionText(.reconnecting(at: 10, attempt: 2), now: 6.5), "reconnecting in 4 s")
        XCTAssertEqual(StatusBar.connectionText(.refused("not authorized"), now: 0), "refused: not authorized")
        XCTAssertEqual(StatusBar.connectionText(.disconnected("connection reset\u{1B}[2J"), now: 0), "disconnected: connection reset\\e[2J")
        var state = Fixture.house()
        _ = update(&state, .connection(.refused("bad user name or password")))
        XCTAssertEqual(Fixture.screen(state)[23], " refused: bad user name or password  v5  2/s  8 msgs  7 topics   ? help  q quit",
                       "the broker URL gives way before the figures and the key hints")
        XCTAssertEqual(role(at: 0, 23, in: state), .statusProblem)
    }

    func testWhyTheConnectionWasLostStaysShownWhileReconnecting() {
        var state = Fixture.house()
        state.now = 100
        _ = update(&state, .connection(.disconnected("got a 1000015-byte packet, over --max-packet 100000")))
        // The client reports that it will try again in the same breath: the reason must not vanish with it.
        _ = update(&state, .connection(.reconnecting(at: 101, attempt: 1)))
        XCTAssertTrue(
            Fixture.screen(state)[23].hasPrefix(" reconnecting in 1 s: got a 1000015-byte packet, over --max-packet 100000"),
            Fixture.screen(state)[23])
        _ = update(&state, .connection(.connected))
        _ = update(&state, .connection(.reconnecting(at: 101, attempt: 1)))
        XCTAssertEqual(StatusBar.connectionText(state.connection, now: 100, problem: state.lastConnectionProblem), "reconnecting in 1 s")
    }

    func testFormats() {
        XCTAssertEqual(Format.count(9999), "9999")
        XCTAssertEqual(Format.count(12_345), "12.3k")
        XCTAssertEqual(Format.count(4_560_000), "4.6M")
        XCTAssertEqual(Format.age(59), "59s")
        XCTAssertEqual(Format.age(125), "2m")
        XCTAssertEqual(Format.age(7300), "2h")
        XCTAssertEqual(Format.clock(Fixture.t0), "22:13:20")
    }

    func testPayloadPreviewIsSafeAndShort() {
        let message = Fixture.message("t", "a\u{1B}[31mred\nnext")
        XCTAssertEqual(PayloadPreview.line(message, columns: 40), "a\\e[31mred\\nnext")
        XCTAssertEqual(PayloadPreview.line(message, columns: 4), "a\\e[3…", "four display units; the buffer clips columns")
        XCTAssertEqual(PayloadPreview.line(Fixture.message("t", ""), columns: 10), "(empty)")
    }
}
