import XCTest

@testable import Dashboard

/// The board's model on a manual clock: pinning and editing tiles, figures over the windows, the
/// rules of the tiles, acknowledgement, and the boards file.
final class BoardModelTests: XCTestCase {
    private let t0 = Fixture.t0

    /// The house, with a board whose one tile watches livingroom/temp above 30 (hysteresis 1).
    private func watchedHouse(_ conditions: [AlertCondition] = [.above(30)], bell: Bool = true) -> DashboardState {
        var state = Fixture.house()
        let tile = BoardTile(topic: "livingroom/temp", unit: "°C", conditions: conditions, damping: AlertDamping(hysteresis: 1))
        let board = Board(name: "home", tiles: [tile], bell: bell, onAlert: ["notify-send", "{topic} is {value}", "{condition}"],
                          alertTopic: "alerts/home")
        state.loadBoards(BoardBook(boards: [board], path: "/tmp/boards.toml"), show: "home")
        _ = update(&state, .tick(now: t0 + 5))
        return state
    }

    private func send(_ state: inout DashboardState, _ topic: String, _ payload: String, at offset: Double) -> [DashboardCommand] {
        update(&state, .message(Fixture.message(topic, payload, at: offset)))
    }

    func testPinAddsTheSelectionToTheBoardAndSavesTheFile() {
        var state = Fixture.house()
        state.loadBoards(BoardBook(path: "/cfg/mqdash/boards.toml"))
        XCTAssertFalse(state.board.isOpen)
        _ = Fixture.press(&state, .end)  // livingroom/temp, the last row
        let commands = Fixture.press(&state, .character("P"))
        XCTAssertEqual(state.board.board?.name, "main")
        XCTAssertEqual(state.board.board?.tiles.map(\.topic), ["livingroom/temp"])
        XCTAssertEqual(commands, [.saveBoards(path: "/cfg/mqdash/boards.toml", text: """
            # mqdash boards: written by the dashboard (P pins, see docs/usage/board.md); edits are kept.

            [boards.main]

            [[boards.main.tiles]]
            topic = "livingroom/temp"

            """)])
        XCTAssertEqual(state.notice, "pinned livingroom/temp to board main")
        let live = state.board.live[TileKey(topic: "livingroom/temp")]
        XCTAssertEqual(live?.lastText, "24.3", "a new tile starts from the topic's history")
        XCTAssertEqual(live?.count, 2)
        XCTAssertEqual(Fixture.press(&state, .character("P")), [], "pinned twice is one tile")
        XCTAssertEqual(state.board.board?.tiles.count, 1)
    }

    func testPinTakesThePlottedField() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .end, .up)  // livingroom/lamp
        _ = Fixture.press(&state, .character("F"))
        Fixture.type(&state, "on")
        _ = Fixture.press(&state, .enter, .character("P"))
        XCTAssertEqual(state.board.board?.tiles.first?.key, TileKey(topic: "livingroom/lamp", field: "on"))
        XCTAssertEqual(Fixture.press(&state, .character("W")), [], "no file: nothing to save")
    }

    func testTileKeysMoveResizeRemoveAndChangeTheWindow() {
        var state = Fixture.house()
        let tiles = ["a", "b", "c"].map { BoardTile(topic: $0) }
        state.loadBoards(BoardBook(boards: [Board(name: "b", tiles: tiles)], path: "/x"), show: "b")
        _ = Fixture.press(&state, .right, .character(">"))
        XCTAssertEqual(state.board.board?.tiles.map(\.topic), ["a", "c", "b"])
        XCTAssertEqual(state.board.selectedTile, 2)
        _ = Fixture.press(&state, .character("]"), .character("]"), .character("]"))
        XCTAssertEqual(state.board.board?.tiles[2].span, BoardTile.maximumSpan, "wider stops at the maximum")
        _ = Fixture.press(&state, .character("["))
        XCTAssertEqual(state.board.board?.tiles[2].span, 2)
        let removed = Fixture.press(&state, .character("x"))
        XCTAssertEqual(state.board.board?.tiles.map(\.topic), ["a", "c"])
        guard case .saveBoards(_, let text)? = removed.first else { return XCTFail("saves after remove") }
        XCTAssertFalse(text.contains("\"b\""))
        XCTAssertEqual(state.board.selectedTile, 1)
        XCTAssertEqual(state.board.window, 1)
        _ = Fixture.press(&state, .character("+"), .character("+"), .character("+"))
        XCTAssertEqual(state.board.window, 3, "24h is the longest")
        _ = Fixture.press(&state, .character("-"))
        XCTAssertEqual(state.board.window, 2)
        _ = Fixture.press(&state, .escape)
        XCTAssertFalse(state.board.isOpen)
    }

    func testEnterOnATileSelectsItsTopicInTheTree() {
        var state = Fixture.house()
        state.loadBoards(BoardBook(boards: [Board(name: "b", tiles: [BoardTile(topic: "kitchen/fridge/door")])]), show: "b")
        _ = Fixture.press(&state, .enter)
        XCTAssertFalse(state.board.isOpen)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, "kitchen/fridge/door")
    }

    func testTileFiguresFollowTheMessagesAtTheirField() {
        var state = Fixture.house()
        let tiles = [BoardTile(topic: "s", field: "temp"), BoardTile(topic: "s")]
        state.loadBoards(BoardBook(boards: [Board(name: "b", tiles: tiles)]), show: "b")
        _ = send(&state, "s", #"{"temp":20.5}"#, at: 10)
        _ = send(&state, "s", #"{"temp":22}"#, at: 20)
        _ = update(&state, .tick(now: t0 + 25))
        let field = state.board.live[TileKey(topic: "s", field: "temp")]
        XCTAssertEqual(field?.lastText, "22")
        XCTAssertEqual(field?.count, 2)
        XCTAssertEqual(field?.series.buckets(window: 0, now: t0 + 25).map(\.low).min(), 20.5)
        XCTAssertEqual(state.board.live[TileKey(topic: "s", field: nil)]?.lastText, #"{"temp":22}"#)
        XCTAssertNil(state.board.live[TileKey(topic: "other", field: nil)])
    }

    func testOnAlertPlaceholdersAreFilledOnceSoANetworkValueIsNotExpandedAgain() {
        let fields = ["{topic}": "door", "{value}": "{topic} {value} {", "{condition}": "changed"]
        XCTAssertEqual(DashboardState.filling(placeholders: fields, in: "{value}|{topic}|{nope}{condition}"),
                       "{topic} {value} {|door|{nope}changed")
        XCTAssertEqual(DashboardState.filling(placeholders: fields, in: "plain"), "plain")
    }

    func testARuleFiresOnceWithBellCommandAndPublishAndClearsPastTheHysteresis() {
        var state = watchedHouse()
        XCTAssertEqual(send(&state, "livingroom/temp", "29", at: 6), [])
        let fired = send(&state, "livingroom/temp", "31.5", at: 7)
        let json = #"{"topic":"livingroom/temp","field":null,"value":"31.5","condition":"above 30"}"#
        XCTAssertEqual(fired, [
            .ringBell,
            .runAlertCommand(["notify-send", "livingroom/temp is 31.5", "above 30"]),
            .publish(topic: "alerts/home", payload: Array(json.utf8), qos: .atMostOnce, retain: false, properties: []),
        ])
        XCTAssertTrue(state.board.isAlerting(state.board.board!.tiles[0]))
        XCTAssertEqual(send(&state, "livingroom/temp", "32", at: 8), [], "rings once")
        XCTAssertEqual(send(&state, "livingroom/temp", "29.5", at: 9), [])
        XCTAssertTrue(state.board.isAlerting(state.board.board!.tiles[0]), "within the hysteresis band")
        _ = send(&state, "livingroom/temp", "28.9", at: 10)
        XCTAssertFalse(state.board.isAlerting(state.board.board!.tiles[0]))
        XCTAssertEqual(state.board.alerts.entries.map(\.value), ["31.5"])
        XCTAssertEqual(state.board.alerts.entries.first?.clearedAt, t0 + 10)
    }

    func testTheBellCanBeTurnedOff() {
        var state = watchedHouse(bell: false)
        XCTAssertFalse(send(&state, "livingroom/temp", "31", at: 6).contains(.ringBell))
        XCTAssertEqual(state.board.alerts.entries.count, 1)
    }

    func testSilenceFiresOnTheClockAlone() {
        var state = watchedHouse([.silent(seconds: 60)])
        XCTAssertEqual(update(&state, .tick(now: t0 + 64)), [])
        let fired = update(&state, .tick(now: t0 + 65))
        XCTAssertEqual(fired.first, .ringBell)
        XCTAssertEqual(state.board.alerts.entries.first?.condition, .silent(seconds: 60))
        _ = send(&state, "livingroom/temp", "21", at: 70)
        XCTAssertFalse(state.board.isAlerting(state.board.board!.tiles[0]), "a message ends the silence")
    }

    func testAcknowledgingSilencesTheTileUntilItFiresAgain() {
        var state = watchedHouse()
        _ = send(&state, "livingroom/temp", "31", at: 6)
        _ = Fixture.press(&state, .character("!"))
        XCTAssertTrue(state.board.alertsOpen)
        _ = Fixture.press(&state, .character("a"))
        XCTAssertTrue(state.board.alerts.entries[0].acknowledged)
        XCTAssertFalse(state.board.isAlerting(state.board.board!.tiles[0]))
        _ = send(&state, "livingroom/temp", "20", at: 7)
        XCTAssertEqual(send(&state, "livingroom/temp", "35", at: 8).first, .ringBell)
        XCTAssertTrue(state.board.isAlerting(state.board.board!.tiles[0]))
        _ = Fixture.press(&state, .escape)
        XCTAssertFalse(state.board.alertsOpen)
    }

    func testSeriesKeepSpikesInFixedMemory() {
        var series = TileSeries()
        // A day of one reading a second, flat but for one spike.
        for second in 0..<86_400 {
            series.record(second == 50_000 ? 99 : 20, at: t0 + Double(second))
        }
        let day = series.buckets(window: 3, now: t0 + 86_399)
        XCTAssertEqual(day.count, TileSeries.bucketCount)
        XCTAssertEqual(day.map(\.high).max(), 99, "the spike survives a 24 min bucket")
        XCTAssertEqual(series.points(window: 3, now: t0 + 86_399).map(\.value).max(), 99)
        XCTAssertEqual(series.buckets(window: 0, now: t0 + 86_399).map(\.high).max(), 20, "the last minute has no spike")
        XCTAssertEqual(series.buckets(window: 0, now: t0 + 200_000), [], "all old")
    }

    func testRuleWords() {
        XCTAssertEqual(AlertWords.condition("above 30"), .above(30))
        XCTAssertEqual(AlertWords.condition("outside -5.5..10"), .outside(-5.5, 10))
        XCTAssertEqual(AlertWords.condition("silent for 5m"), .silent(seconds: 300))
        XCTAssertEqual(AlertWords.condition("rate above 20/s"), .rateAbove(20))
        XCTAssertEqual(AlertWords.condition("equals door open"), .equals("door open"))
        XCTAssertEqual(AlertWords.condition("changed"), .changed)
        for bad in ["", "above", "above x", "outside 10..5", "silent 5m", "hot"] {
            XCTAssertNil(AlertWords.condition(bad), bad)
        }
        // Every condition reads back from the words it is written with.
        for condition: AlertCondition in [.above(1.5), .below(-2), .outside(1, 2), .changed, .equals("ON"), .silent(seconds: 90), .rateAbove(3)] {
            XCTAssertEqual(AlertWords.condition(condition.description), condition)
        }
    }

    func testBoardsFileReadsBackWhatItWrites() throws {
        let boards = [
            Board(name: "living room", tiles: [
                BoardTile(topic: "livingroom/temp", field: "sensor.temp", unit: "°C", conditions: [.above(30), .silent(seconds: 300)],
                          damping: AlertDamping(hysteresis: 0.5, minimumDuration: 10), span: 2),
                BoardTile(topic: "kitchen/temp", series: [TileKey(topic: "outdoor", field: "temp"), TileKey(topic: "cellar/temp")]),
                BoardTile(topic: "a \"quoted\" topic"),
            ], bell: false, onAlert: ["notify-send", "{topic}", "{value}"], alertTopic: "alerts/x"),
            Board(name: "empty"),
        ]
        XCTAssertEqual(try BoardFile.parse(BoardFile.text(boards), file: "b.toml"), boards)
    }

    func testBoardsFileErrorsNameFileAndLine() {
        func error(_ text: String) -> String {
            do {
                _ = try BoardFile.parse(text, file: "/cfg/boards.toml")
                return "no error"
            } catch { return error.description }
        }
        XCTAssertEqual(error("[boards.a]\n\n[[boards.a.tiles]]\ntopic = \"t\"\nrules = [\"hot\"]\n"),
                       "/cfg/boards.toml:5: rule \"hot\" is not one of: \(AlertWords.expected) in tile 1 of [boards.a]")
        XCTAssertEqual(error("[boards.a]\n[[boards.a.tiles]]\nfield = \"x\"\n"), "/cfg/boards.toml:2: a tile needs a topic in tile 1 of [boards.a]")
        XCTAssertEqual(error("[boards.a]\non_alert = [\"{value}\", \"x\"]\n"),
                       "/cfg/boards.toml:2: on_alert's first word is the program to run; {value} there would let a message choose it in [boards.a]")
        XCTAssertEqual(error("[boards.a]\non_alert = [\"/opt/{topic}.sh\"]\n"),
                       "/cfg/boards.toml:2: on_alert's first word is the program to run; {topic} there would let a message choose it in [boards.a]")
        XCTAssertEqual(error("[boards.a]\non_alert = [\"notify-send\", \"--\", \"{topic}\", \"{value}\"]\n"), "no error")
        XCTAssertEqual(error("[boards.a]\nbel = true\n"),
                       "/cfg/boards.toml:2: unknown key bel; expected one of tiles, bell, on_alert, alert_topic in [boards.a]")
        XCTAssertEqual(error("[boards.a]\n[[boards.a.tiles]]\ntopic = \"a/#\"\n"), "/cfg/boards.toml:3: bad value \"a/#\" for topic in tile 1 of [boards.a]")
        XCTAssertEqual(error("[boards.a]\n[[boards.a.tiles]]\ntopic = \"t\"\nfor = \"soon\"\n"),
                       "/cfg/boards.toml:4: for = \"soon\" is not a duration (10s, 1m) in tile 1 of [boards.a]")
        XCTAssertTrue(error("[boards.a\n").hasPrefix("/cfg/boards.toml:1: syntax error: "), error("[boards.a\n"))
        XCTAssertEqual(error("title = 1\n"), "/cfg/boards.toml:1: unknown key title; expected [boards.NAME] tables")
    }

    func testWatchRulesOfABoard() {
        let board = Board(name: "b", tiles: [
            BoardTile(topic: "t", field: "v", conditions: [.above(1), .changed], damping: AlertDamping(hysteresis: 2)),
            BoardTile(topic: "u"),
        ])
        XCTAssertEqual(board.alertRules, [
            AlertRule(filter: "t", field: "v", condition: .above(1), damping: AlertDamping(hysteresis: 2)),
            AlertRule(filter: "t", field: "v", condition: .changed, damping: AlertDamping(hysteresis: 2)),
        ])
    }
}
