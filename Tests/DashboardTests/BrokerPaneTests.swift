import MQTTCore
import XCTest

@testable import Dashboard

/// `B` in `mqdash --broker`: the pane's keys, rates, confirmation, and its drawing at several widths.
final class BrokerPaneTests: XCTestCase {
    private static let t0 = Fixture.t0

    private func embedded(width: Int = 120, height: Int = 30) -> DashboardState {
        var state = Fixture.house(width: width, height: height)
        state.settings.hasEmbeddedBroker = true
        return state
    }

    private func client(_ connection: Int, _ id: String, received: UInt64 = 0, sent: UInt64 = 0,
                        version: MQTTVersion = .v5, user: String? = nil) -> BrokerReport.Client {
        BrokerReport.Client(connection: connection, clientID: id, username: user, remoteAddress: "127.0.0.1:\(50_000 + connection)",
                            version: version, keepAlive: 60, subscriptions: 2, queued: 3, inflight: 1,
                            messagesReceived: received, messagesSent: sent, connectedAt: Self.t0 - 125)
    }

    private func report(_ clients: [BrokerReport.Client], at offset: Double = 0) -> BrokerReport {
        var figures = BrokerReport.Figures()
        figures.connectedClients = clients.count
        figures.sessions = clients.count + 1
        figures.messagesReceived = 12_345
        figures.messagesSent = 678
        figures.bytesReceived = 1_500_000
        figures.bytesSent = 2048
        figures.retained = 4
        figures.dropped = 2
        figures.uptimeSeconds = 3700
        return BrokerReport(clients: clients, figures: figures, takenAt: Self.t0 + offset)
    }

    private func lines(_ state: DashboardState) -> [String] {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: .monochrome)
        return buffer.lines()
    }

    // MARK: keys

    func testWithoutAnEmbeddedBrokerBSaysSoAndOpensNothing() {
        var state = Fixture.house()
        XCTAssertEqual(Fixture.press(&state, .character("B")), [])
        XCTAssertFalse(state.brokerPane.isOpen)
        XCTAssertEqual(state.notice, "no embedded broker (start with --broker)")
        XCTAssertTrue(lines(state).last!.contains("no embedded broker (start with --broker)"), "\(lines(state).last!)")
    }

    func testBOpensAndClosesThePaneAndAsksTheBrokerToReportOnlyWhileOpen() {
        var state = embedded()
        XCTAssertEqual(Fixture.press(&state, .character("B")), [.watchBroker(true)])
        XCTAssertTrue(state.brokerPane.isOpen)
        XCTAssertTrue(lines(state)[0].hasPrefix("┌ Broker "))
        XCTAssertTrue(lines(state)[1].contains("waiting for the broker…"))
        // Keys of the panes below do nothing while it is open.
        XCTAssertEqual(Fixture.press(&state, .character("p")), [])
        XCTAssertFalse(state.publishFormOpen)
        XCTAssertEqual(Fixture.press(&state, .character("B")), [.watchBroker(false)])
        XCTAssertFalse(state.brokerPane.isOpen)
        _ = Fixture.press(&state, .character("B"))
        XCTAssertEqual(Fixture.press(&state, .escape), [.watchBroker(false)])
        XCTAssertFalse(state.brokerPane.isOpen)
    }

    func testRatesComeFromTwoReportsOfTheSameConnection() {
        var state = embedded()
        _ = update(&state, .brokerReport(report([client(1, "a", received: 100, sent: 10), client(2, "b", received: 5)])))
        XCTAssertTrue(state.brokerPane.rates.isEmpty, "one report has no rates")
        // Two seconds later: a grew by 10 in and 4 out; b came back on a new connection (its counters restarted).
        _ = update(&state, .brokerReport(report([client(1, "a", received: 110, sent: 14), client(3, "b", received: 1)], at: 2)))
        XCTAssertEqual(state.brokerPane.rates[1], BrokerPaneState.Rate(received: 5, sent: 2))
        XCTAssertNil(state.brokerPane.rates[3])
    }

    func testTheSelectionFollowsItsConnectionAndXDisconnectsItAfterConfirmation() {
        var state = embedded()
        _ = Fixture.press(&state, .character("B"))
        _ = update(&state, .brokerReport(report([client(1, "alpha"), client(2, "beta"), client(3, "gamma")])))
        _ = Fixture.press(&state, .down, .character("j"))
        XCTAssertEqual(state.brokerPane.selectedClient?.clientID, "gamma")
        // alpha left: gamma is now second, and stays selected.
        _ = update(&state, .brokerReport(report([client(2, "beta"), client(3, "gamma")], at: 1)))
        XCTAssertEqual(state.brokerPane.selectedClient?.clientID, "gamma")

        XCTAssertEqual(Fixture.press(&state, .character("x")), [])
        XCTAssertEqual(state.confirmation?.question, "Disconnect client gamma?")
        XCTAssertTrue(lines(state).contains { $0.contains("Disconnect client gamma?") }, "the dialog shows over the pane")
        XCTAssertEqual(Fixture.press(&state, .character("n")), [])
        XCTAssertNil(state.confirmation)
        XCTAssertTrue(state.brokerPane.isOpen)

        _ = Fixture.press(&state, .up, .character("x"))
        XCTAssertEqual(Fixture.press(&state, .character("y")), [.disconnectClient(clientID: "beta")])
        XCTAssertEqual(state.notice, "disconnecting beta")
        XCTAssertTrue(state.brokerPane.isOpen)
    }

    func testBridgesShowBelowTheClientsAndTabRRestartsTheSelectedOne() {
        var state = embedded()
        _ = Fixture.press(&state, .character("B"))
        var first = report([client(1, "alpha")])
        first.bridges = [
            BrokerReport.Bridge(name: "cloud", isUp: true, address: "broker.example:8883", queued: 3, forwarded: 100),
            BrokerReport.Bridge(name: "backup", isUp: false, address: "10.0.0.9:1883", queued: 1_200, dropped: 7,
                                lastError: "Connection refused\u{1b}[2J", retryAt: Self.t0 + 4.2),
        ]
        _ = update(&state, .brokerReport(first))
        var second = first
        second.takenAt = Self.t0 + 2
        second.bridges[0].forwarded = 300
        _ = update(&state, .brokerReport(second))
        let screen = lines(state)
        let cloud = screen.first { $0.contains("cloud") } ?? ""
        let backup = screen.first { $0.contains("backup") } ?? ""
        XCTAssertTrue(cloud.contains("up") && cloud.contains("broker.example:8883") && cloud.contains("queued 3")
                          && cloud.contains("100/s"), cloud)
        XCTAssertTrue(backup.contains("DOWN") && backup.contains("queued 1200") && backup.contains("dropped 7")
                          && backup.contains("retry in") && backup.contains("Connection refused\\e[2J"), backup)
        XCTAssertFalse(screen.joined().unicodeScalars.contains { $0.value == 0x1B }, "no raw escape on screen")
        XCTAssertLessThan(screen.firstIndex { $0.contains("alpha") } ?? 99, screen.firstIndex { $0.contains("cloud") } ?? 0)

        _ = Fixture.press(&state, .character("r"))
        XCTAssertNil(state.confirmation, "r means nothing while the keys are on the clients")
        _ = Fixture.press(&state, .tab, .down, .character("r"))
        XCTAssertEqual(state.confirmation?.question, "Restart bridge backup?")
        XCTAssertEqual(Fixture.press(&state, .character("y")), [.restartBridge(name: "backup")])
        XCTAssertEqual(state.notice, "restarting bridge backup")
        _ = Fixture.press(&state, .tab, .character("x"))
        XCTAssertEqual(state.confirmation?.question, "Disconnect client alpha?", "Tab moved the keys back to the clients")
    }

    func testXWithNoClientSaysSo() {
        var state = embedded()
        _ = Fixture.press(&state, .character("B"))
        _ = update(&state, .brokerReport(report([])))
        _ = Fixture.press(&state, .character("x"))
        XCTAssertNil(state.confirmation)
        XCTAssertEqual(state.notice, "no client selected")
        XCTAssertTrue(lines(state).contains { $0.contains("no clients connected") }, "\(lines(state))")
    }

    // MARK: drawing

    private func twoReports(width: Int, height: Int) -> DashboardState {
        var state = embedded(width: width, height: height)
        _ = Fixture.press(&state, .character("B"))
        _ = update(&state, .brokerReport(report([client(1, "sensor-sub", received: 10, sent: 0, user: "iot"),
                                                 client(2, "mqdash-dash", version: .v3_1_1)])))
        _ = update(&state, .brokerReport(report([client(1, "sensor-sub", received: 30, sent: 6, user: "iot"),
                                                 client(2, "mqdash-dash", version: .v3_1_1)], at: 2)))
        _ = update(&state, .tick(now: Self.t0 + 2))
        return state
    }

    func testTheWidePaneShowsEveryColumn() {
        let screen = lines(twoReports(width: 120, height: 12))
        XCTAssertEqual(Array(screen[0...5]), [
            "┌ Broker ────────────────────────────────────────────────────────────────────────────────────── x disconnect  B close ─┐",
            "│ clients 2  sessions 3  msgs in 12.3k out 678  bytes in 1.5M out 2048  retained 4  dropped 2  up 1h                   │",
            "│                                                                                                                      │",
            "│ client id                       user         address               mqtt   keep subs queued infl    in/s   out/s since│",
            "│ sensor-sub                      iot          127.0.0.1:50001       5.0     60s    2      3    1      10       3    2m│",
            "│ mqdash-dash                     -            127.0.0.1:50002       3.1.1   60s    2      3    1       0       0    2m│",
        ])
        XCTAssertEqual(screen[10], "└" + String(repeating: "─", count: 118) + "┘")
        XCTAssertTrue(screen[11].hasPrefix(" connected "), "the status bar stays")
    }

    func testNarrowScreensDropColumnsAndNeverOverrunTheFrame() {
        for width in [80, 60, 40] {
            let screen = lines(twoReports(width: width, height: 12))
            for (index, line) in screen.enumerated() {
                XCTAssertEqual(DisplayWidth.of(line), width, "line \(index) at width \(width)")
                if (1...9).contains(index) {
                    XCTAssertTrue(line.hasPrefix("│") && line.hasSuffix("│"), "line \(index) at width \(width): \(line)")
                }
            }
            let heading = screen.firstIndex { $0.hasPrefix("│ client id ") }!
            XCTAssertTrue(screen[heading + 1].hasPrefix("│ sensor-sub "), screen[heading + 1])
            if width >= 60 { XCTAssertTrue(screen[heading + 1].hasSuffix(" 2m│"), screen[heading + 1]) }
        }
    }

    func testAClientIDFullOfEscapeSequencesIsShownEscaped() {
        var state = embedded(width: 120, height: 12)
        _ = Fixture.press(&state, .character("B"))
        let evil = "\u{1b}[2J\u{1b}]0;pwned\u{07}\r\nevil\u{9b}31m"
        _ = update(&state, .brokerReport(report([client(1, evil, user: "\u{1b}[5mu")])))
        var buffer = Buffer(width: 120, height: 12)
        render(state, into: &buffer, theme: .monochrome)
        for cell in buffer.cells {
            XCTAssertFalse(cell.text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                           "a raw control character reached the screen: \(cell.text.debugDescription)")
        }
        let row = buffer.lines().first { $0.hasPrefix("│ \\e") } ?? "no row"
        XCTAssertTrue(row.hasPrefix("│ \\e[2J\\e]0;pwned\\x07\\r\\nevil\\u{…"), "cut with a mark: \(row)")
        XCTAssertTrue(row.contains("\\e[5mu"), row)
        XCTAssertTrue(row.hasSuffix("│"), row)
        _ = Fixture.press(&state, .character("x"))
        XCTAssertEqual(state.confirmation?.question, "Disconnect client \\e[2J\\e]0;pwned\\x07\\r\\nevil\\u{9b}31m?")
        XCTAssertEqual(Fixture.press(&state, .character("y")), [.disconnectClient(clientID: evil)], "the real id goes to the broker")
    }

    func testALongListScrollsWithTheSelection() {
        var state = embedded(width: 80, height: 14)
        _ = Fixture.press(&state, .character("B"))
        let clients = (0..<50).map { client($0, "client-" + ($0 < 10 ? "0" : "") + String($0)) }
        _ = update(&state, .brokerReport(report(clients)))
        // 12 lines inside the frame: figures (2 at this width), a blank, the heading, 8 rows.
        func rows() -> [String] { lines(state).compactMap { line in line.hasPrefix("│ client-") ? String(line.dropFirst(2).prefix(9)) : nil } }
        XCTAssertEqual(rows().first, "client-00")
        XCTAssertTrue(lines(state)[12].hasSuffix(" 1-\(rows().count) of 50 ─┘"), "\(lines(state))")
        let page = rows().count
        _ = Fixture.press(&state, .end)
        XCTAssertEqual(state.brokerPane.selectedClient?.clientID, "client-49")
        XCTAssertEqual(rows().last, "client-49")
        XCTAssertEqual(rows().count, page)
        _ = Fixture.press(&state, .pageUp)
        XCTAssertEqual(state.brokerPane.selectedClient?.clientID, "client-\(49 - page)")
        XCTAssertEqual(rows().first, "client-\(49 - page)")
        _ = Fixture.press(&state, .home, .character("j"), .character("j"))
        XCTAssertEqual(state.brokerPane.selectedClient?.clientID, "client-02")
        XCTAssertEqual(rows().first, "client-00")
    }

    private func printScreen(_ screen: [String]) {
        print(screen.map { "|" + $0 + "|" }.joined(separator: "\n"))
    }
}
