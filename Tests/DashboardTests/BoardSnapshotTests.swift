import XCTest

@testable import Dashboard

/// The board as the user sees it at 80x24, 120x40 and 200x60, and where it does not fit.
final class BoardSnapshotTests: XCTestCase {
    /// The house with a board of `count` tiles, fed a minute of readings; the first tile's rule fires.
    static func board(width: Int, height: Int, count: Int = 6, alertsOpen: Bool = false) -> DashboardState {
        var state = Fixture.house(width: width, height: height)
        let topics = (0..<count).map { "room\($0)/temp" }
        var tiles = topics.map { BoardTile(topic: $0, unit: "°C") }
        tiles[0].conditions = [.above(25)]
        if count > 2 { tiles[2].span = 2 }
        state.loadBoards(BoardBook(boards: [Board(name: "house", tiles: tiles)]), show: "house")
        _ = update(&state, .tick(now: Fixture.t0 + 5))
        // Ten minutes of readings, one every 5 s: a slow wave per room, and a spike on room0 at the end.
        for step in 0..<120 {
            for (index, topic) in topics.enumerated() {
                let wave = Double([0, 1, 2, 3, 4, 3, 2, 1][(step / 4 + index) % 8]) / 2
                let value = 20 + Double(index) + wave + (index == 0 && step == 119 ? 6 : 0)
                _ = update(&state, .message(Fixture.message(topic, BraillePlot.format(value), at: 6 + 5 * Double(step))))
            }
        }
        _ = update(&state, .tick(now: Fixture.t0 + 6 + 5 * 119 + 1))
        if alertsOpen { _ = Fixture.press(&state, .character("!")) }
        return state
    }

    static func screen(_ state: DashboardState) -> [String] {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: .monochrome)
        return buffer.lines().map { line in
            var trimmed = Substring(line)
            while trimmed.last == " " { trimmed.removeLast() }
            return String(trimmed)
        }
    }

    func testBoard80x24ScrollsToTheSelectedRowAndSaysWhatIsHidden() {
        assertScreen(Self.screen(Self.board(width: 80, height: 24)), """
            ┌ room0/temp ────── 10m ─┐┌ room1/temp ────── 10m ─┐
            │ 27.5 °C                ││ 22 °C                  │
            │ min 20  max 27.5       ││ min 21  max 23         │
            │                      ⢸ ││   ⢸⡇    ⡿⡀    ⣿    ⢸⡇  │
            │                      ⢸ ││  ⢠⠇⢧   ⢠⠇⢧   ⡼⠸⡄   ⡼⠧⡄ │
            │                      ⡜ ││  ⣸ ⠈⣆ ⢀⡎ ⢸⡀ ⢀⡇ ⣇⡀ ⣰⠁ ⣇ │
            │                      ⡇ ││  ⡇  ⢸ ⢸   ⡇ ⡸   ⡇ ⡇    │
            │   ⢠⠖⢤   ⡤⠲⡄   ⡴⠦⡄  ⢠⠖⠇ ││ ⠐⠃  ⠘⡆⡞   ⠓⣶⠃   ⢳⢰⠃    │
            │ ⢀⡞⠁ ⠈⠓⣶⠊⠁ ⠉⢳⡰⠋  ⠙⢢⡖⠉   ││      ⣇⡇    ⣿    ⢸⡎     │
            │ ALERT 1 s ago  above 2 ││ 1 s ago                │
            └────────────────────────┘└────────────────────────┘
            ┌ room2/temp ──────────────────────────────── 10m ─┐┌ room3/temp ──────── 10m ─┐
            │ 22.5 °C                                          ││ 23 °C                    │
            │ min 22  max 24                                   ││ min 23  max 25           │
            │    ⢸⠉⡇          ⡏⠹⡀          ⡏⢇          ⢸⠉⡇     ││  ⣿     ⡏⡇    ⢸⢇     ⣿    │
            │   ⡤⠼ ⠧⢤       ⢠⠤⠇ ⠧⡄       ⢠⠼ ⠸⠤⡄       ⡤⠼ ⠧⢤    ││ ⠠⠿⢤   ⢠⠇⢧   ⢠⠼⠸⡄   ⡼⠸⡄   │
            │  ⣰⠁   ⢸⣀⡀    ⣀⣸    ⢱⣀    ⢀⣀⡎    ⣇⣀    ⢀⣰⠁   ⢸⣀⡀  ││   ⢸⡀ ⢀⣸ ⠈⣆  ⣸  ⣇  ⣀⡇ ⢱⡀  │
            │         ⢣    ⡇      ⠘⡄   ⢸       ⢸    ⡸       ⢣  ││    ⢣ ⢸   ⢸  ⡇  ⠘⡄ ⡇   ⡇  │
            │         ⠘⢲ ⢰⠒⠃       ⠓⢲ ⡖⠚       ⠘⠒⡆ ⡖⠃       ⠘⠒ ││    ⠘⡆⡞   ⠘⡆⡖⠃   ⢳⢰⠃   ⠓⡆ │
            │           ⣇⡎          ⢸⣀⡇          ⣇⣰⠁           ││     ⣇⡇    ⢸⡇    ⢸⣸     ⣇ │
            │ 1 s ago                                          ││ 1 s ago                  │
            └──────────────────────────────────────────────────┘└──────────────────────────┘
                                                               2 more tiles: arrows scroll
             connected  mqtt://localhost:1883  v5  1/s  728 msgs  13 topics  ? help  q quit
            """)
    }

    func testBoard120x40WithTheAlertsPane() {
        assertScreen(Self.screen(Self.board(width: 120, height: 40, alertsOpen: true)), """
            ┌ room0/temp ────────── 10m ─┐┌ room1/temp ────────── 10m ─┐┌ room2/temp ──────────────────────────────────────── 10m ─┐
            │ 27.5 °C                    ││ 22 °C                      ││ 22.5 °C                                                  │
            │ min 20  max 27.5           ││ min 21  max 23             ││ min 22  max 24                                           │
            │                          ⢸ ││   ⢸⢹     ⢸⢹     ⢸⡇     ⡏⡇  ││     ⡏⢹             ⡏⢹            ⢸⠉⢹            ⢸⠉⡇      │
            │                          ⢸ ││   ⢸⢸     ⢸⢸     ⡎⡇     ⡇⡇  ││     ⡇ ⡇           ⢰⠁ ⡇           ⢸ ⢸            ⡎ ⢸      │
            │                          ⢸ ││   ⡏⠈⢹   ⢸⠉⠈⡇   ⢸⠁⠉⡇   ⢸⠁⢹  ││   ⢸⠉⠁ ⠉⢹         ⡏⠉  ⠉⢹         ⡏⠉ ⠈⠉⡇        ⢸⠉⠁ ⠈⠉⡇    │
            │                          ⡎ ││  ⣀⡇ ⢸⡀  ⣸  ⣇⡀ ⢀⣸  ⣇⡀ ⢀⡇  ⣇ ││  ⣀⡇     ⣇⣀     ⣀⣀⡇    ⢸⣀⡀     ⣀⣸     ⢸⣀⡀     ⣀⣸     ⣇⣀⡀  │
            │                          ⡇ ││  ⡇   ⢇  ⡇   ⡇ ⢸    ⡇ ⢸     ││          ⢸     ⡇        ⢇     ⡇        ⢇     ⡇        ⡇  │
            │    ⢀⣀     ⢀⡀     ⣀⡀     ⣀⡇ ││ ⢀⡇   ⢸⡀⣸    ⣇⡀⣸    ⣇⢀⣸     ││          ⢸⣀⡀ ⢀⣀⡇        ⢸⣀⡀ ⣀⣸         ⢸⣀⡀ ⣀⣸         ⣇⣀ │
            │   ⣰⠚⠘⢢⡀ ⢀⣰⠚⠓⣆⡀ ⢀⡰⠃⠓⣆  ⢀⡖⠃⠃ ││       ⡇⡇     ⡇⡇    ⢸⢸      ││            ⢇ ⢸            ⢇ ⡇            ⡇ ⡇             │
            │ ⢀⡖⠃   ⠓⣆⠞    ⠓⣴⠚   ⠘⢲⣰⠊    ││       ⣇⡇     ⣿     ⢸⣸      ││            ⢸⣀⡇            ⢸⣀⡇            ⣇⣸              │
            │ ALERT 1 s ago  above 25    ││ 1 s ago                    ││ 1 s ago                                                  │
            └────────────────────────────┘└────────────────────────────┘└──────────────────────────────────────────────────────────┘
            ┌ room3/temp ────────── 10m ─┐┌ room4/temp ────────── 10m ─┐┌ room5/temp ────────── 10m ─┐
            │ 23 °C                      ││ 24.5 °C                    ││ 26 °C                      │
            │ min 23  max 25             ││ min 24  max 26             ││ min 25  max 27             │
            │  ⡏⡇     ⣿     ⢸⢹     ⢸⡇    ││ ⠈⡇     ⣿      ⣿     ⢸⢹     ││       ⡏⡇     ⣿     ⢸⢹      │
            │  ⡇⡇    ⢰⢹     ⢸⢸     ⢸⢸    ││  ⡇     ⡇⡇    ⢰⢹     ⢸⢸     ││       ⡇⡇     ⡇⡇    ⢸⢸      │
            │ ⠈⠁⢹    ⡏⠈⢹    ⡏⠈⡇   ⢸⠉⠈⡇   ││  ⠉⡇   ⡏⠁⢹    ⡏⠈⢹   ⢸⠉⠈⡇    ││ ⠈⡇   ⢸⠁⢹    ⡏⠁⢹    ⡏⠈⢹     │
            │   ⢸⣀  ⣀⡇ ⢸⣀  ⣸  ⢸⡀ ⢀⣸  ⣇⡀  ││   ⣇  ⢀⡇ ⢸⣀  ⣀⡇ ⢸⡀  ⣸  ⢸⡀   ││  ⣇⡀ ⢀⡇  ⣇  ⣀⡇ ⢸⣀  ⣀⡇ ⢸⡀  ⣀ │
            │    ⢸  ⡇   ⢸  ⡇   ⡇ ⢸    ⡇  ││   ⢸  ⢸   ⢸  ⡇   ⢇  ⡇   ⡇   ││   ⡇ ⢸   ⢸  ⡇   ⢸  ⡇   ⢇  ⡇ │
            │    ⢸⣀⢀⡇   ⢸⡀⣀⡇   ⣇⡀⣸    ⣇  ││   ⢸⣀⢀⡇   ⢸⣀⣀⡇   ⢸⡀⣀⡇   ⣇⡀⣀ ││   ⣇⢀⣸   ⢸⣀⢀⡇   ⢸⡀⣀⡇   ⢸⡀⣸  │
            │     ⢸⢸     ⡇⡇     ⡇⡇    ⠸⡀ ││    ⢸⢸     ⢸⡇     ⡇⡇     ⡇⡇ ││   ⢸⢸     ⢸⢸     ⢇⡇     ⡇⡇  │
            │     ⢸⡇     ⣇⡇     ⣇⡇     ⣇ ││    ⢸⣸     ⢸⡇     ⣇⡇     ⣿  ││   ⢸⣸     ⢸⣸     ⢸⡇     ⣇⡇  │
            │ 1 s ago                    ││ 1 s ago                    ││ 1 s ago                    │
            └────────────────────────────┘└────────────────────────────┘└────────────────────────────┘
            ┌ Alerts ───────────────────────────────────────────────────────────────────────────────── 1 firing  a ack  Esc close ─┐
            │22:23:21  room0/temp  27.5  (above 25)  FIRING                                                                        │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  mqdash-test  v5  1/s  728 msgs  13 topics                             ? help  q quit
            """)
    }

    func testBoard200x60ShowsTwelveTiles() {
        assertScreen(Self.screen(Self.board(width: 200, height: 60, count: 12)), """
            ┌ room0/temp ──────── 10m ─┐┌ room1/temp ──────── 10m ─┐┌ room2/temp ──────────────────────────────────── 10m ─┐┌ room3/temp ──────── 10m ─┐┌ room4/temp ──────── 10m ─┐┌ room5/temp ──────────── 10m ─┐
            │ 27.5 °C                  ││ 22 °C                    ││ 22.5 °C                                              ││ 23 °C                    ││ 24.5 °C                  ││ 26 °C                        │
            │ min 20  max 27.5         ││ min 21  max 23           ││ min 22  max 24                                       ││ min 23  max 25           ││ min 24  max 26           ││ min 25  max 27               │
            │                        ⢸ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││     ⡏⢹           ⢸⠉⡇           ⢸⢹            ⡏⢹      ││  ⣿     ⡏⡇    ⢸⡇     ⣿    ││ ⠈⡇    ⢸⡇    ⢸⢹     ⣿     ││       ⢸⢹      ⣿      ⢸⡇      │
            │                        ⢸ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││     ⡇⢸           ⢸ ⡇           ⢸⢸            ⡇⢸      ││  ⣿     ⡇⡇    ⢸⡇     ⣿    ││  ⡇    ⢸⡇    ⢸⢸     ⣿     ││       ⢸⢸      ⣿      ⢸⡇      │
            │                        ⢸ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││     ⡇⢸           ⢸ ⡇           ⢸⢸            ⡇⢸      ││  ⣿     ⡇⡇    ⢸⡇     ⣿    ││  ⡇    ⢸⡇    ⢸⢸     ⣿     ││       ⢸⢸      ⣿      ⢸⡇      │
            │                        ⢸ ││   ⢸⢸    ⢰⢹     ⡇⡇    ⡎⡇  ││    ⢰⠁⢸           ⢸ ⢸           ⡎ ⡇          ⢰⠁ ⡇     ││  ⣿     ⡇⡇    ⢸⢸    ⢰⢹    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││       ⢸⢸      ⡇⡇     ⡎⡇      │
            │                        ⢸ ││   ⢸⢸    ⢸⢸     ⡇⡇    ⡇⡇  ││    ⢸ ⢸           ⢸ ⢸           ⡇ ⡇          ⢸  ⡇     ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││       ⢸⢸      ⡇⡇     ⡇⡇      │
            │                        ⢸ ││   ⢸⢸    ⢸⢸     ⡇⡇    ⡇⡇  ││    ⢸ ⢸           ⢸ ⢸           ⡇ ⡇          ⢸  ⡇     ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││       ⢸⢸      ⡇⡇     ⡇⡇      │
            │                        ⢸ ││  ⢸⠉⠈⡇   ⡏⠈⡇   ⢸⠁⢹   ⢸⠁⠉⡇ ││   ⡏⠉ ⠈⠉⡇        ⡏⠉ ⠈⢹        ⢸⠉⠁ ⠉⢹        ⢸⠉  ⠉⡇    ││ ⠈⠉⢹   ⢸⠁⢹   ⢸⠉⠈⡇   ⡏⠈⡇   ││  ⢹   ⢸⠉⠉⡇   ⡏⠈⡇   ⡏⠁⢹    ││ ⠈⡇   ⢸⠉⠈⢹    ⡏⠁⢹    ⢸⠁⠉⡇     │
            │                        ⢸ ││  ⢸  ⡇   ⡇ ⡇   ⢸ ⢸   ⢸  ⡇ ││   ⡇    ⡇        ⡇   ⢸        ⢸    ⢸        ⢸    ⡇    ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ││  ⢸   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸    ││  ⡇   ⢸  ⢸    ⡇ ⢸    ⢸  ⡇     │
            │                        ⢸ ││  ⢸  ⡇   ⡇ ⡇   ⢸ ⢸   ⢸  ⡇ ││   ⡇    ⡇        ⡇   ⢸        ⢸    ⢸        ⢸    ⡇    ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ││  ⢸   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸    ││  ⡇   ⢸  ⢸    ⡇ ⢸    ⢸  ⡇     │
            │                        ⡸ ││  ⢸  ⡇   ⡇ ⢸   ⡇ ⢸   ⢸  ⡇ ││   ⡇    ⢸       ⢸     ⡇       ⢸    ⢸        ⡇    ⢸    ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ││  ⢸   ⢸  ⡇   ⡇ ⢸   ⡇ ⢸    ││  ⡇   ⢸  ⢸    ⡇  ⡇   ⡇  ⡇     │
            │                        ⡇ ││  ⢸  ⡇   ⡇ ⢸   ⡇ ⢸   ⢸  ⡇ ││   ⡇    ⢸       ⢸     ⡇       ⢸    ⢸        ⡇    ⢸    ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ││  ⢸   ⢸  ⡇   ⡇ ⢸   ⡇ ⢸    ││  ⡇   ⢸  ⢸    ⡇  ⡇   ⡇  ⡇     │
            │                        ⡇ ││  ⣸  ⣇⡀ ⣀⡇ ⢸⡀ ⢀⡇ ⢸⣀  ⣸  ⣇ ││  ⣀⡇    ⢸⣀     ⣀⣸     ⣇⣀     ⣀⣸    ⢸⣀⡀    ⢀⣀⡇    ⢸⣀⡀  ││   ⢸⡀ ⢀⣸  ⣇  ⣸  ⣇  ⣀⡇ ⢸⡀  ││  ⢸⣀  ⣸  ⣇  ⣀⡇ ⢸⡀ ⢀⡇ ⢸⡀   ││  ⣇⡀  ⣸  ⢸⡀  ⣀⡇  ⣇  ⢀⡇  ⣇⡀  ⣀ │
            │                        ⡇ ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││         ⢸     ⡇       ⢸     ⡇       ⡇    ⢸        ⡇  ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  ││   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ⡇   ││   ⡇  ⡇   ⡇  ⡇   ⢸  ⢸    ⡇  ⡇ │
            │                        ⡇ ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││         ⢸     ⡇       ⢸     ⡇       ⡇    ⢸        ⡇  ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  ││   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ⡇   ││   ⡇  ⡇   ⡇  ⡇   ⢸  ⢸    ⡇  ⡇ │
            │                        ⡇ ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││         ⠸⡀    ⡇       ⢸     ⡇       ⢇    ⢸        ⡇  ││    ⢇ ⢸   ⢸  ⡇  ⠸⡀ ⡇   ⡇  ││   ⢸  ⡇  ⠸⡀ ⡇   ⡇ ⢸   ⢇   ││   ⡇  ⡇   ⢇  ⡇   ⢸  ⢸    ⡇  ⡇ │
            │                        ⡇ ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸ ⢸     ││          ⡇    ⡇       ⢸    ⢸        ⢸    ⢸        ⡇  ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  ││   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸   ││   ⡇ ⢸    ⢸  ⡇   ⢸  ⢸    ⡇ ⢸  │
            │                        ⡇ ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸ ⢸     ││          ⡇    ⡇       ⢸    ⢸        ⢸    ⢸        ⡇  ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  ││   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸   ││   ⡇ ⢸    ⢸  ⡇   ⢸  ⢸    ⡇ ⢸  │
            │    ⢠⡄    ⢠⡄     ⣤     ⡤⡇ ││ ⢀⡇   ⣇⢀⡇   ⣇⣀⣸   ⢸⡀⣸     ││          ⣇⣀ ⢀⣀⡇       ⢸⣀⡀ ⣀⣸        ⢸⣀⡀ ⣀⣸        ⣇⣀ ││    ⢸⡀⣸   ⢸⡀⣀⡇   ⣇⢀⡇   ⣇⡀ ││   ⢸⡀⣀⡇   ⣇⢀⡇   ⣇⢀⣸   ⢸⡀⣀ ││   ⣇⡀⣸    ⢸⡀⣀⡇   ⢸⣀⢀⣸    ⣇⡀⣸  │
            │    ⡜⡇    ⢸⢱    ⢠⢻     ⡇⡇ ││      ⢸⢸     ⣿     ⡇⡇     ││           ⢸ ⢸           ⡇ ⡇           ⡇ ⡇            ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ ││    ⡇⡇    ⢸⢸    ⢸⢸     ⡇⡇ ││    ⡇⡇     ⡇⡇     ⢸⢸      ⡇⡇  │
            │   ⢸⠁⠉⡇   ⡏⠈⡇   ⡏⠈⢹   ⢸⠁⠁ ││      ⢸⢸     ⣿     ⡇⡇     ││           ⢸ ⢸           ⡇ ⡇           ⡇ ⡇            ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ ││    ⡇⡇    ⢸⢸    ⢸⢸     ⡇⡇ ││    ⡇⡇     ⡇⡇     ⢸⢸      ⡇⡇  │
            │  ⢠⠼  ⢧  ⡼  ⠧⡄ ⢠⠇ ⠸⡄ ⢠⠇   ││      ⢸⢸     ⣿     ⡇⡇     ││           ⢸ ⢸           ⢇ ⡇           ⡇ ⡇            ││     ⡇⡇    ⢇⡇    ⢸⢸     ⡇ ││    ⢇⡇    ⢸⢸    ⠸⣸     ⡇⡇ ││    ⡇⡇     ⢇⡇     ⢸⢸      ⡇⡇  │
            │  ⢸   ⢸  ⡇   ⡇ ⡜   ⡇ ⢸    ││      ⢸⢸     ⣿     ⡇⡇     ││           ⢸ ⡇           ⢸ ⡇           ⡇⢸             ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ ││    ⢸⡇    ⢸⡇     ⣿     ⡇⡇ ││    ⣿      ⢸⡇     ⢸⢸      ⣿   │
            │  ⡞   ⠘⢲⡖⠃   ⢳⢰⠃   ⠓⡆⡞    ││      ⢸⢸     ⣿     ⡇⡇     ││           ⢸ ⡇           ⢸ ⡇           ⡇⢸             ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ ││    ⢸⡇    ⢸⡇     ⣿     ⡇⡇ ││    ⣿      ⢸⡇     ⢸⢸      ⣿   │
            │ ⢀⡇    ⢸⡇    ⢸⣸     ⣷⠁    ││      ⢸⣸     ⣿     ⣇⡇     ││           ⢸⣀⡇           ⢸⣀⡇           ⣇⣸             ││     ⣇⡇    ⢸⡇    ⢸⣸     ⣇ ││    ⢸⡇    ⢸⡇     ⣿     ⣇⡇ ││    ⣿      ⢸⡇     ⢸⣸      ⣿   │
            │ ALERT 1 s ago  above 25  ││ 1 s ago                  ││ 1 s ago                                              ││ 1 s ago                  ││ 1 s ago                  ││ 1 s ago                      │
            └──────────────────────────┘└──────────────────────────┘└──────────────────────────────────────────────────────┘└──────────────────────────┘└──────────────────────────┘└──────────────────────────────┘
            ┌ room6/temp ──────── 10m ─┐┌ room7/temp ──────── 10m ─┐┌ room8/temp ──────── 10m ─┐┌ room9/temp ──────── 10m ─┐┌ room10/temp ─────── 10m ─┐┌ room11/temp ─────── 10m ─┐
            │ 27.5 °C                  ││ 29 °C                    ││ 29.5 °C                  ││ 30 °C                    ││ 30.5 °C                  ││ 31 °C                    │
            │ min 26  max 28           ││ min 27  max 29           ││ min 28  max 30           ││ min 29  max 31           ││ min 30  max 32           ││ min 31  max 33           │
            │      ⣿     ⡏⡇    ⢸⡇      ││     ⡏⡇    ⢸⡇    ⢸⢹     ⡏ ││    ⢸⡇    ⢸⡇     ⣿     ⡏⡇ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││  ⢸⢹     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⡏⡇    ⢸⡇     ⣿    │
            │      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ ││    ⢸⡇    ⢸⡇     ⣿     ⡇⡇ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││  ⢸⢸     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⡇⡇    ⢸⡇     ⣿    │
            │      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ ││    ⢸⡇    ⢸⡇     ⣿     ⡇⡇ ││   ⢸⡇     ⣿     ⣿     ⢸⡇  ││  ⢸⢸     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⡇⡇    ⢸⡇     ⣿    │
            │      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⡎⡇    ⢸⢸     ⡇ ││    ⡎⡇    ⢸⢸    ⢰⢹     ⡇⡇ ││   ⢸⢸    ⢰⢹     ⡇⡇    ⡎⡇  ││  ⢸⢸     ⡇⡇    ⡎⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⢰⢹    │
            │      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ ││    ⡇⡇    ⢸⢸    ⢸⢸     ⡇⡇ ││   ⢸⢸    ⢸⢸     ⡇⡇    ⡇⡇  ││  ⢸⢸     ⡇⡇    ⡇⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    │
            │      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ ││    ⡇⡇    ⢸⢸    ⢸⢸     ⡇⡇ ││   ⢸⢸    ⢸⢸     ⡇⡇    ⡇⡇  ││  ⢸⢸     ⡇⡇    ⡇⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    │
            │     ⡏⠉⢹   ⢸⠁⢹   ⢸⠉⠉⡇   ⡏ ││    ⢸⠁⢹   ⢸⠁⠉⡇   ⡏⠈⡇   ⡏⠁ ││   ⢸⠁⠉⡇   ⡏⠈⡇   ⡏⠈⢹   ⢸⠁⠉ ││  ⢸⠉⠈⡇   ⡏⠈⡇   ⢸⠁⢹   ⢸⠁⠉⡇ ││  ⡏⠈⡇   ⡏⠁⢹   ⢸⠁⢹    ⡏⠈⡇  ││ ⠈⠉⢹   ⢸⠁⢹   ⢸⠉⠈⡇   ⡏⠈⡇   │
            │     ⡇ ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  ││   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸   ││  ⢸  ⡇   ⡇ ⡇   ⢸ ⢸   ⢸  ⡇ ││  ⡇ ⡇   ⡇ ⢸   ⢸ ⢸    ⡇ ⡇  ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   │
            │     ⡇ ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  ││   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸   ││  ⢸  ⡇   ⡇ ⡇   ⢸ ⢸   ⢸  ⡇ ││  ⡇ ⡇   ⡇ ⢸   ⢸ ⢸    ⡇ ⡇  ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   │
            │     ⡇ ⢸   ⡇ ⢸   ⢸  ⡇   ⡇ ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  ││   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ⡇   ││  ⢸  ⡇   ⡇ ⢸   ⡇ ⢸   ⢸  ⡇ ││  ⡇ ⢸   ⡇ ⢸   ⢸  ⡇  ⢸  ⡇  ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   │
            │     ⡇ ⢸   ⡇ ⢸   ⢸  ⡇   ⡇ ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  ││   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ⡇   ││  ⢸  ⡇   ⡇ ⢸   ⡇ ⢸   ⢸  ⡇ ││  ⡇ ⢸   ⡇ ⢸   ⢸  ⡇  ⢸  ⡇  ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   │
            │ ⢀⡀ ⢀⡇ ⢸⡀ ⢀⡇ ⢸⣀  ⣸  ⣇  ⣀⡇ ││   ⢀⡇ ⢸⣀  ⣸  ⣇  ⣸  ⣇⡀ ⢀⡇  ││  ⢀⣸  ⣇  ⣸  ⣇⡀ ⢀⡇ ⢸⡀ ⢀⡇   ││  ⣸  ⣇⡀ ⣀⡇ ⢸⡀ ⢀⡇ ⢸⣀  ⣸  ⣇ ││ ⢀⡇ ⢸⡀ ⢀⡇ ⢸⡀ ⢀⣸  ⣇  ⣸  ⣇⡀ ││   ⢸⡀ ⢀⣸  ⣇  ⣸  ⣇  ⣀⡇ ⢸⡀  │
            │  ⡇ ⢸   ⡇ ⢸   ⢸  ⡇  ⢸  ⡇  ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ││  ⢸   ⢸  ⡇   ⡇ ⢸   ⡇ ⢸    ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││     ⡇ ⢸   ⡇ ⢸   ⢸  ⡇   ⡇ ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  │
            │  ⡇ ⢸   ⡇ ⢸   ⢸  ⡇  ⢸  ⡇  ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ││  ⢸   ⢸  ⡇   ⡇ ⢸   ⡇ ⢸    ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││     ⡇ ⢸   ⡇ ⢸   ⢸  ⡇   ⡇ ││    ⡇ ⢸   ⢸  ⡇  ⢸  ⡇   ⡇  │
            │  ⡇ ⢸   ⡇ ⢸   ⢸  ⡇  ⠸⡀ ⡇  ││   ⢸   ⢸  ⡇  ⢸  ⡇   ⡇ ⢸   ││  ⢸   ⢸  ⡇   ⡇ ⢸   ⡇ ⢸    ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸  ⡇    ││     ⡇ ⢸   ⢇ ⢸   ⢸  ⡇   ⡇ ││    ⢇ ⢸   ⢸  ⡇  ⠸⡀ ⡇   ⡇  │
            │  ⡇ ⡇   ⡇ ⢸   ⢸ ⢸    ⡇ ⡇  ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ││  ⢸   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸    ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸ ⢸     ││     ⡇ ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  │
            │  ⡇ ⡇   ⡇ ⢸   ⢸ ⢸    ⡇ ⡇  ││   ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ││  ⢸   ⢸  ⡇   ⡇ ⡇   ⡇ ⢸    ││  ⡇   ⡇ ⡇   ⡇ ⢸   ⢸ ⢸     ││     ⡇ ⢸   ⢸ ⢸   ⢸  ⡇   ⡇ ││    ⢸ ⢸   ⢸  ⡇   ⡇ ⡇   ⡇  │
            │  ⣇⢀⡇   ⣇⡀⣸   ⢸⡀⣸    ⣇⢀⡇  ││ ⢀⣀⣸   ⢸⡀⣸   ⢸⣀⢀⡇   ⣇⢀⡇   ││  ⣸   ⢸⣀⣀⡇   ⣇⢀⡇   ⣇⡀⣸    ││ ⢀⡇   ⣇⢀⡇   ⣇⣀⣸   ⢸⡀⣸     ││     ⣇⣀⣸   ⢸⡀⣸   ⢸⣀⣀⡇   ⣇ ││    ⢸⡀⣸   ⢸⡀⣀⡇   ⣇⢀⡇   ⣇⡀ │
            │  ⢸⢸     ⡇⡇    ⡇⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││      ⢸⢸     ⣿     ⡇⡇     ││      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ │
            │  ⢸⢸     ⡇⡇    ⡇⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⢸⢸    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││      ⢸⢸     ⣿     ⡇⡇     ││      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⡇⡇    ⢸⢸     ⡇ │
            │  ⢸⢸     ⡇⡇    ⢇⡇    ⢸⢸   ││  ⣿     ⡇⡇    ⢸⢸    ⠸⣸    ││  ⡇    ⢸⡇    ⢸⢸     ⡇⡇    ││      ⢸⢸     ⣿     ⡇⡇     ││      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⢇⡇    ⢸⢸     ⡇ │
            │  ⢸⢸     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⡇⡇    ⢸⡇     ⣿    ││  ⡇    ⢸⡇    ⢸⢸     ⣿     ││      ⢸⢸     ⣿     ⡇⡇     ││      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ │
            │  ⢸⢸     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⡇⡇    ⢸⡇     ⣿    ││  ⡇    ⢸⡇    ⢸⢸     ⣿     ││      ⢸⢸     ⣿     ⡇⡇     ││      ⣿     ⡇⡇    ⢸⡇      ││     ⡇⡇    ⢸⡇    ⢸⢸     ⡇ │
            │  ⢸⣸     ⣿     ⢸⡇    ⢸⡇   ││  ⣿     ⣇⡇    ⢸⡇     ⣿    ││ ⢀⡇    ⢸⡇    ⢸⣸     ⣿     ││      ⢸⣸     ⣿     ⣇⡇     ││      ⣿     ⣇⡇    ⢸⡇      ││     ⣇⡇    ⢸⡇    ⢸⣸     ⣇ │
            │ 1 s ago                  ││ 1 s ago                  ││ 1 s ago                  ││ 1 s ago                  ││ 1 s ago                  ││ 1 s ago                  │
            └──────────────────────────┘└──────────────────────────┘└──────────────────────────┘└──────────────────────────┘└──────────────────────────┘└──────────────────────────┘

             connected  mqtt://localhost:1883  mqdash-test  v5  2/s  1448 msgs  19 topics                                                                     / search  p publish  S subs  Tab pane  ? help  q quit
            """)
    }

    func testBoardTooSmallSaysSo() {
        assertScreen(Self.screen(Self.board(width: 40, height: 12, alertsOpen: true)), """



            too small for the board (need 26x8)



            ┌ Alerts ─ 1 firing  a ack  Esc close ─┐
            │22:23:21  room0/temp  27.5  (above 25)│
            │                                      │
            └──────────────────────────────────────┘
             connected  v5  1/s  728 ? help  q quit
            """)
    }

    func testMergedTilesPlotTwoSeriesWithALegend() {
        var state = Self.board(width: 80, height: 24, count: 3)
        _ = Fixture.press(&state, .right, .character("M"))
        XCTAssertEqual(state.board.board?.tiles.first?.series, [TileKey(topic: "room1/temp")])
        assertScreen(Self.screen(state), """
            ┌ room0/temp ────── 10m ─┐┌ room2/temp ────────────────────────────────── 10m ─┐
            │ 27.5 °C                ││ 22.5 °C                                            │
            │ ━ room0/temp 27.5  ╍ r ││ min 22  max 24                                     │
            │                      ⢸ ││    ⢸⠉⡇           ⡏⢹           ⡏⢹           ⢸⢹      │
            │                      ⢸ ││    ⢸ ⡇           ⡇⢸           ⡇⢸           ⢸⢸      │
            │                      ⢸ ││    ⢸ ⢱          ⢠⠃⢸           ⡇⢸           ⡜⠈⡆     │
            │                      ⢸ ││    ⢸ ⢸          ⢸ ⢸           ⡇⢸           ⡇ ⡇     │
            │                      ⢸ ││   ⡤⠼ ⠸⢤        ⡤⠼ ⠸⠤⡄       ⢠⠤⠇⠸⠤⡄       ⢠⠤⠇ ⠧⢤    │
            │                      ⢸ ││   ⡇   ⢸        ⡇    ⡇       ⢸    ⡇       ⢸    ⢸    │
            │                      ⢸ ││   ⡇   ⠸⡀       ⡇    ⡇       ⡸    ⢇       ⢸    ⢸    │
            │                      ⡎ ││   ⡇    ⡇       ⡇    ⡇       ⡇    ⢸       ⢸    ⢸    │
            │                      ⡇ ││  ⣀⡇    ⣇⣀    ⢀⣀⡇    ⣇⣀     ⣀⡇    ⢸⣀⡀    ⣀⣸    ⢸⣀⡀  │
            │                      ⡇ ││         ⢸    ⢸       ⢸     ⡇       ⡇    ⡇       ⡇  │
            │    ⡀    ⡀     ⢀    ⢀ ⡇ ││         ⢸    ⢸       ⢸     ⡇       ⡇    ⡇       ⡇  │
            │  ⢀⠌⡂    ⡊⢄   ⡠⢑    ⢐⢅⡇ ││         ⢸    ⢸        ⡇   ⢰⠁       ⡇   ⢰⠁       ⡇  │
            │  ⢐ ⠈⠄  ⠌ ⢐   ⡂ ⠅  ⠠⠁ ⡇ ││         ⢸    ⢸        ⡇   ⢸        ⡇   ⢸        ⡇  │
            │  ⠅ ⡿⣑ ⢐⠁⢀⢿⠅ ⠨ ⢸⡇⠅ ⡊ ⡏⡇ ││         ⠘⠒⡆ ⡖⠚        ⠓⡆ ⡖⠚        ⠓⢲ ⢰⠚        ⠓⠒ │
            │ ⠐⠁⢰⠃⢳⠄⠔ ⡞⠘⡗⢔⠁ ⡞⠓⣗⠠⠂⢰⠃⠃ ││           ⡇ ⡇          ⡇ ⡇          ⢸ ⢸            │
            │  ⢠⠇ ⠸⡅⠅⢠⠇ ⠧⡕ ⡼  ⢷⠅ ⡼   ││           ⢣⢀⠇          ⢣ ⡇          ⢸ ⡸            │
            │  ⡼   ⠧⣤⠎   ⢧⢠⠇  ⠸⡄⡴⠁   ││           ⢸⢸           ⢸ ⡇          ⢸ ⡇            │
            │ ⢀⡇    ⣿    ⢸⡎    ⢱⡇    ││           ⢸⣸           ⢸⣀⡇          ⢸⣀⡇            │
            │ ALERT 1 s ago  above 2 ││ 1 s ago                                            │
            └────────────────────────┘└────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  v5  1/s  368 msgs  10 topics  ? help  q quit
            """)
    }

    func testAnAlertingTileIsDrawnInTheErrorColour() {
        // Every role its own colour, so a cell's style names the role that drew it.
        let theme = Theme(name: "roles", styles: Dictionary(uniqueKeysWithValues: Role.allCases.enumerated().map {
            ($0.element, Style(foreground: .indexed(UInt8($0.offset + 1))))
        }))
        let state = Self.board(width: 80, height: 24)
        var buffer = Buffer(width: 80, height: 24)
        render(state, into: &buffer, theme: theme)
        XCTAssertEqual(buffer[0, 0].style, theme.style(.error), "room0's border")
        XCTAssertEqual(buffer[2, 1].style.foreground, theme.style(.error).foreground, "room0's value")
        XCTAssertEqual(buffer[26, 0].style, theme.style(.border), "room1 is fine")
        XCTAssertEqual(buffer[28, 1].style.foreground, theme.style(.title).foreground)
    }
}
