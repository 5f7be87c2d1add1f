import XCTest

@testable import Dashboard

/// Whole screens rendered into a buffer and compared line by line (trailing spaces trimmed).
/// Styles are not part of the text; the themes' tests cover colours.
final class ScreenSnapshotTests: XCTestCase {
    /// Screens built by the same key presses a user would make.
    static func scenarios() -> [(String, DashboardState)] {
        var result: [(String, DashboardState)] = []
        result.append(("house80", Fixture.house()))
        result.append(("house120", Fixture.house(width: 120, height: 40)))
        var help = Fixture.house()
        _ = Fixture.press(&help, .character("?"))
        result.append(("help80", help))
        var help120 = Fixture.house(width: 120, height: 40)
        _ = Fixture.press(&help120, .character("?"))
        result.append(("help120", help120))
        var small = Fixture.house()
        _ = update(&small, .resize(width: 39, height: 10))
        result.append(("small39", small))
        var tiny = Fixture.house()
        _ = update(&tiny, .resize(width: 20, height: 6))
        result.append(("tiny20", tiny))
        var search = Fixture.house()
        _ = Fixture.press(&search, .character("/"))
        Fixture.type(&search, "temp")
        result.append(("searchPrompt", search))
        _ = Fixture.press(&search, .enter)
        result.append(("searchDone", search))
        var held = Fixture.house()
        _ = Fixture.press(&held, .tab, .up, .up)
        for i in 0..<3 { _ = update(&held, .message(Fixture.message("garage/door", "moving \(i)", at: 5))) }
        result.append(("held", held))
        var confirm = Fixture.house()
        _ = Fixture.press(&confirm, .end, .character("h"), .character("D"))
        result.append(("confirm", confirm))
        var subs = Fixture.house()
        _ = Fixture.press(&subs, .character("S"), .character("a"))
        Fixture.type(&subs, "garage/+")
        result.append(("subs", subs))
        return result
    }

    private func screen(_ name: String) -> [String] {
        Fixture.screen(Self.scenarios().first { $0.0 == name }!.1)
    }

    func testWholeScreen80x24WithRetainedMarkersLogAndStatusBar() {
        assertScreen(screen("house80"), """
            ┌ Topics ──────────────────────────────────┐┌ garage/door ───────── automatic ─┐
            │▾ garage                           0/1 3s ││                                  │
            │    door        open                 1 3s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    humidity ®  45                   1 5s ││                                  │
            │    lamp        {"on":true}          1 2s ││                                  │
            │    temp ®      24.3                 2 1s ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                 │
            │22:13:24 livingroom/temp     q0 - 24.3                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  v5  2/s  8 msgs  7 topics     ? help  q quit
            """)
    }

    func testWholeScreen120x40() {
        assertScreen(screen("house120"), """
            ┌ Topics ────────────────────────────────────────────┐┌ garage/door ─────────────────────────────────────── automatic ─┐
            │▾ garage                                     0/1 3s ││                                                                │
            │    door        open                           1 3s ││                                                                │
            │▾ kitchen                                    0/2 4s ││                                                                │
            │  ▾ fridge                                   0/1 5s ││                                                                │
            │      door ®    closed                         1 5s ││                                                                │
            │    temp        21.5 °C                        1 4s ││                                                                │
            │▾ livingroom                                 0/4 1s ││                                                                │
            │    humidity ®  45                             1 5s ││                                                                │
            │    lamp        {"on":true}                    1 2s ││                                                                │
            │    temp ®      24.3                           2 1s ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            │                                                    ││                                                                │
            └────────────────────────────────────────────────────┘└────────────────────────────────────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 livingroom/temp     q0 R 24.1                                                                                │
            │22:13:20 livingroom/humidity q0 R 45                                                                                  │
            │22:13:20 kitchen/fridge/door q0 R closed                                                                              │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                                                             │
            │22:13:22 garage/door         q0 - open                                                                                │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                                                         │
            │22:13:24 livingroom/temp     q0 - 24.3                                                                                │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  mqdash-test  v5  2/s  8 msgs  7 topics                                ? help  q quit
            """)
    }

    func testHelpOverlayListsEveryKeyAt80x24() {
        assertScreen(screen("help80"), """
            ┌ Topics ──────────────────────────────────┐┌ garage/door ───────── automatic ─┐
            │▾ garag┌ Keys ─────────────────────────────────────── any key closes ─┐       │
            │    doo│ ↑ ↓ k j        move in the focused pane                      │       │
            │▾ kitch│ ← h  → l       collapse / go to parent, expand / go to child │       │
            │  ▾ fri│ Enter Space    expand or collapse the topic                  │       │
            │      d│ PgUp PgDn      page up / down                                │       │
            │    tem│ Home g End G   first / last row; End follows the log         │       │
            │▾ livin│ Tab Shift-Tab  next / previous pane                          │       │
            │    hum│ /              search topics: text, or a filter like +/temp  │       │
            │    lam│ n N            next / previous search match                  │       │
            │    tem│ Esc            clear the search, close a dialog              │       │
            │       │ s t            sort by name or recency; t times clock/ms/age │       │
            │       │ $ T            show or hide $SYS topics; T traffic ranking   │       │
            │       │ v =            payload view or decoder; = diff previous      │       │
            │       │ F O            plot field (JSON or decoded); O overlay topic │       │
            └───────│ f R e          filter the log; R record, e export            │───────┘
            ┌ Log ──│ p c y Y        publish; c switch broker; y Y copy            │ kept ─┐
            │22:13:2│ d D            clear the retained topic / all below it       │       │
            │22:13:2│ S              subscriptions: a add, d remove, 0-2 QoS       │       │
            │22:13:2│ B x r          broker pane; x client, Tab r bridge           │       │
            │22:13:2│ W P !          board (< > [ ] x M + - on it); pin; alerts    │       │
            │22:13:2│ ? q Ctrl-C     this help; quit; mouse: click, wheel          │       │
            └───────└──────────────────────────────────────────────────────────────┘───────┘
             connected  mqtt://localhost:1883  v5  2/s  8 msgs  7 topics     ? help  q quit
            """)
    }

    func testHelpOverlayAt120x40() {
        assertScreen(screen("help120"), """
            ┌ Topics ────────────────────────────────────────────┐┌ garage/door ─────────────────────────────────────── automatic ─┐
            │▾ garage                                     0/1 3s ││                                                                │
            │    door        open                           1 3s ││                                                                │
            │▾ kitchen                                    0/2 4s ││                                                                │
            │  ▾ fridge                                   0/1 5s ││                                                                │
            │      door ®    closed                         1 5s ││                                                                │
            │    temp        21.5 °C                        1 4s ││                                                                │
            │▾ livingroom                                 0/4 1s ││                                                                │
            │    humidity ®  45                             1 5s ││                                                                │
            │    lamp        {"on":true}┌ Keys ─────────────────────────────────────── any key closes ─┐                           │
            │    temp ®      24.3       │ ↑ ↓ k j        move in the focused pane                      │                           │
            │                           │ ← h  → l       collapse / go to parent, expand / go to child │                           │
            │                           │ Enter Space    expand or collapse the topic                  │                           │
            │                           │ PgUp PgDn      page up / down                                │                           │
            │                           │ Home g End G   first / last row; End follows the log         │                           │
            │                           │ Tab Shift-Tab  next / previous pane                          │                           │
            │                           │ /              search topics: text, or a filter like +/temp  │                           │
            │                           │ n N            next / previous search match                  │                           │
            │                           │ Esc            clear the search, close a dialog              │                           │
            │                           │ s t            sort by name or recency; t times clock/ms/age │                           │
            │                           │ $ T            show or hide $SYS topics; T traffic ranking   │                           │
            │                           │ v =            payload view or decoder; = diff previous      │                           │
            │                           │ F O            plot field (JSON or decoded); O overlay topic │                           │
            │                           │ f R e          filter the log; R record, e export            │                           │
            │                           │ p c y Y        publish; c switch broker; y Y copy            │                           │
            └───────────────────────────│ d D            clear the retained topic / all below it       │───────────────────────────┘
            ┌ Log ──────────────────────│ S              subscriptions: a add, d remove, 0-2 QoS       │────────────────── 7 kept ─┐
            │22:13:20 livingroom/temp   │ B x r          broker pane; x client, Tab r bridge           │                           │
            │22:13:20 livingroom/humidit│ W P !          board (< > [ ] x M + - on it); pin; alerts    │                           │
            │22:13:20 kitchen/fridge/doo│ ? q Ctrl-C     this help; quit; mouse: click, wheel          │                           │
            │22:13:21 kitchen/temp      └──────────────────────────────────────────────────────────────┘                           │
            │22:13:22 garage/door         q0 - open                                                                                │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                                                         │
            │22:13:24 livingroom/temp     q0 - 24.3                                                                                │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            │                                                                                                                      │
            └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  mqdash-test  v5  2/s  8 msgs  7 topics                                ? help  q quit
            """)
    }

    func testTerminalTooSmall() {
        assertScreen(screen("small39"), """




                terminal too small (need 40x10)





            """)
    }

    func testTerminalTooSmallWrapsOnTinyScreens() {
        assertScreen(screen("tiny20"), """


             terminal too small
                (need 40x10)


            """)
    }

    func testSearchPromptOnTheStatusRow() {
        assertScreen(screen("searchPrompt"), """
            ┌ Topics ──────────────────────────────────┐┌ garage/door ───────── automatic ─┐
            │▾ garage                           0/1 3s ││                                  │
            │    door        open                 1 3s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    humidity ®  45                   1 5s ││                                  │
            │    lamp        {"on":true}          1 2s ││                                  │
            │    temp ®      24.3                 2 1s ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                 │
            │22:13:24 livingroom/temp     q0 - 24.3                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
            /temp▏
            """)
    }

    func testSearchSelectsTheFirstHitAndCountsHits() {
        assertScreen(screen("searchDone"), """
            ┌ Topics ─────────────────── /temp 2 hits ─┐┌ kitchen/temp ──────── automatic ─┐
            │▾ garage                           0/1 3s ││                                  │
            │    door        open                 1 3s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    humidity ®  45                   1 5s ││                                  │
            │    lamp        {"on":true}          1 2s ││                                  │
            │    temp ®      24.3                 2 1s ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                 │
            │22:13:24 livingroom/temp     q0 - 24.3                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
             connected  match 1/2                                            ? help  q quit
            """)
    }

    func testHeldLogSaysHowManyArrived() {
        assertScreen(screen("held"), """
            ┌ Topics ──────────────────────────────────┐┌ garage/door ───────── automatic ─┐
            │▾ garage                           0/4 0s ││                                  │
            │    door        moving 2             4 0s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    humidity ®  45                   1 5s ││                                  │
            │    lamp        {"on":true}          1 2s ││                                  │
            │    temp ®      24.3                 2 1s ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ─────────────────────────────────────────────────────────────── 3 new ↓ ─┐
            │22:13:20 livingroom/temp     q0 R 24.1                                        │
            │22:13:20 livingroom/humidity q0 R 45                                          │
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  v5  2/s  11 msgs  7 topics    ? help  q quit
            """)
    }

    func testConfirmationDialogBeforeClearingASubtree() {
        assertScreen(screen("confirm"), """
            ┌ Topics ──────────────────────────────────┐┌ livingroom ────────── automatic ─┐
            │▾ garage                           0/1 3s ││                                  │
            │    door        open                 1 3s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    humidity ®  45                   1 5s ││                                  │
            │    lamp        {"on":true}          1 2s ││                                  │
            │    temp ®      ┌ Confirm ──────────────────────────────────┐                 │
            │                │ Clear 2 retained topics under livingroom? │                 │
            │                │ y yes   n no                              │                 │
            │                └───────────────────────────────────────────┘                 │
            │                                          ││                                  │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                 │
            │22:13:24 livingroom/temp     q0 - 24.3                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  v5  2/s  8 msgs  7 topics     ? help  q quit
            """)
    }

    func testSubscriptionEditorWhileAdding() {
        assertScreen(screen("subs"), """
            ┌ Topics ──────────────────────────────────┐┌ garage/door ───────── automatic ─┐
            │▾ garage                           0/1 3s ││                                  │
            │    door        open                 1 3s ││                                  │
            │▾ kitchen                          0/2 4s ││                                  │
            │  ▾ fridge                         0/1 5s ││                                  │
            │      door ®    closed               1 5s ││                                  │
            │    temp        21.5 °C              1 4s ││                                  │
            │▾ livingroom                       0/4 1s ││                                  │
            │    hum┌ Subscriptions ────────────────────────────────── Esc closes ─┐       │
            │    lam│ QoS 0  #                                                     │       │
            │    tem│                                                              │       │
            │       │                                                              │       │
            │       │                                                              │       │
            │       │ add: garage/+▏  QoS 0 (Tab)  Enter subscribes                │       │
            │       └──────────────────────────────────────────────────────────────┘       │
            └──────────────────────────────────────────┘└──────────────────────────────────┘
            ┌ Log ──────────────────────────────────────────────────────────────── 7 kept ─┐
            │22:13:20 kitchen/fridge/door q0 R closed                                      │
            │22:13:21 kitchen/temp        q1 - 21.5 °C                                     │
            │22:13:22 garage/door         q0 - open                                        │
            │22:13:23 livingroom/lamp     q0 - {"on":true}                                 │
            │22:13:24 livingroom/temp     q0 - 24.3                                        │
            └──────────────────────────────────────────────────────────────────────────────┘
             connected  mqtt://localhost:1883  v5  2/s  8 msgs  7 topics     ? help  q quit
            """)
    }
}
