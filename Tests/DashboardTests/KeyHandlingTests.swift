import MQTTCore
import PayloadDecoders
import XCTest

@testable import Dashboard

final class KeyHandlingTests: XCTestCase {
    private func selected(_ state: DashboardState) -> String? {
        state.selection.map { state.tree.nodes[$0].topic }
    }

    private func rowTopics(_ state: DashboardState) -> [String] {
        state.treeRows.map { state.tree.nodes[$0].topic }
    }

    func testStartsExpandedAsFarAsItFits() {
        let state = Fixture.house()
        XCTAssertEqual(rowTopics(state), [
            "garage", "garage/door", "kitchen", "kitchen/fridge", "kitchen/fridge/door", "kitchen/temp",
            "livingroom", "livingroom/humidity", "livingroom/lamp", "livingroom/temp",
        ])
        // On a 10-line screen the tree pane has 3 rows: only the first level fits.
        var short = state
        _ = update(&short, .resize(width: 80, height: 10))
        XCTAssertEqual(rowTopics(short), ["garage", "kitchen", "livingroom"])
    }

    func testArrowsAndVimKeysMove() {
        var state = Fixture.house()
        XCTAssertEqual(selected(state), "garage/door", "until the user moves, the first topic with a message")
        _ = Fixture.press(&state, .down, .character("j"), .character("j"))
        XCTAssertEqual(selected(state), "kitchen/fridge/door")
        _ = Fixture.press(&state, .up)
        XCTAssertEqual(selected(state), "kitchen/fridge")
        _ = Fixture.press(&state, .up, .character("k"))
        XCTAssertEqual(selected(state), "garage/door")
        _ = Fixture.press(&state, .end)
        XCTAssertEqual(selected(state), "livingroom/temp")
        _ = Fixture.press(&state, .home)
        XCTAssertEqual(selected(state), "garage")
        _ = Fixture.press(&state, .pageDown)
        XCTAssertEqual(selected(state), "livingroom/temp", "a page is 13 rows, more than there are")
        _ = Fixture.press(&state, .up, .up, .up)
        XCTAssertEqual(selected(state), "livingroom")
    }

    func testExpandCollapseAndParentChild() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .down)  // kitchen (the first selection is garage/door)
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(rowTopics(state), ["garage", "garage/door", "kitchen", "livingroom", "livingroom/humidity", "livingroom/lamp", "livingroom/temp"])
        _ = Fixture.press(&state, .character(" "))
        XCTAssertEqual(state.treeRows.count, 10)
        _ = Fixture.press(&state, .character("l"))
        XCTAssertEqual(selected(state), "kitchen/fridge", "right on an expanded node goes to its first child")
        _ = Fixture.press(&state, .left)
        XCTAssertEqual(rowTopics(state).contains("kitchen/fridge/door"), false, "left collapses an expanded node")
        _ = Fixture.press(&state, .character("h"))
        XCTAssertEqual(selected(state), "kitchen", "left on a collapsed node goes to the parent")
        _ = Fixture.press(&state, .right)
        XCTAssertEqual(selected(state), "kitchen/fridge")
        _ = Fixture.press(&state, .down)
        XCTAssertEqual(selected(state), "kitchen/temp")
        _ = update(&state, .mouse(.click(x: 3, y: 3)))  // row 3 is kitchen: selects it
        XCTAssertEqual(selected(state), "kitchen")
        _ = update(&state, .mouse(.click(x: 3, y: 3)))  // clicking the selected row toggles it
        XCTAssertFalse(state.isExpanded(state.tree.node("kitchen")!))
    }

    func testSearchSubstringAndFilterWithNextAndPrevious() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "TEMP")
        XCTAssertEqual(state.prompt?.text, "TEMP", "typing goes to the prompt, not to the tree")
        _ = Fixture.press(&state, .enter)
        XCTAssertNil(state.prompt)
        XCTAssertEqual(selected(state), "kitchen/temp", "case-insensitive substring")
        XCTAssertEqual(state.searchHits.count, 2)
        _ = Fixture.press(&state, .character("n"))
        XCTAssertEqual(selected(state), "livingroom/temp")
        _ = Fixture.press(&state, .character("n"))
        XCTAssertEqual(selected(state), "kitchen/temp", "n wraps")
        _ = Fixture.press(&state, .character("N"))
        XCTAssertEqual(selected(state), "livingroom/temp", "N wraps backwards")

        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "+/door")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.searchHits.map { state.tree.nodes[$0].topic }, ["garage/door"], "+ makes it an MQTT filter")

        // A hit inside a collapsed node gets revealed.
        _ = Fixture.press(&state, .home, .down, .down, .enter)  // collapse kitchen
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "fridge/door")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(selected(state), "kitchen/fridge/door")
        XCTAssertTrue(rowTopics(state).contains("kitchen/fridge/door"))

        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "nothing")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.notice, "no topic matches nothing")
        _ = Fixture.press(&state, .character("/"), .character("x"), .escape)
        XCTAssertNil(state.prompt, "Esc cancels the prompt")
    }

    func testFocusCyclesWithTab() {
        var state = Fixture.house()
        XCTAssertEqual(state.focus, .tree)
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(state.focus, .log)
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(state.focus, .detail)
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(state.focus, .tree)
        _ = Fixture.press(&state, .backTab)
        XCTAssertEqual(state.focus, .detail)
        _ = Fixture.press(&state, .down, .down)
        XCTAssertEqual(state.detailScroll, 2, "arrows scroll the focused detail pane")
        XCTAssertEqual(selected(state), "garage/door")
    }

    func testSortSystemTopicsAndViewMode() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("s"))
        XCTAssertEqual(state.sortOrder, .recency)
        XCTAssertEqual(Array(rowTopics(state).prefix(2)), ["livingroom", "livingroom/temp"], "newest first")
        XCTAssertFalse(rowTopics(state).contains { $0.hasPrefix("$SYS") })
        _ = Fixture.press(&state, .character("s"), .character("$"))
        XCTAssertEqual(rowTopics(state).first, "$SYS")
        _ = Fixture.press(&state, .character("v"))
        XCTAssertEqual(state.payloadView, .mode(.text))
        _ = Fixture.press(&state, .character("v"), .character("v"), .character("v"))
        XCTAssertEqual(state.payloadView, .decoder(.single(.msgpack)), "after the plain modes come the decoders")
        _ = Fixture.press(&state, .character("v"), .character("v"), .character("v"))
        XCTAssertEqual(state.payloadView, .mode(.automatic))
    }

    func testClearRetainedAndConfirmation() {
        var state = Fixture.house()
        // garage/door, the first selection: not retained
        XCTAssertEqual(Fixture.press(&state, .character("d")), [])
        XCTAssertEqual(state.notice, "garage/door holds no retained message")
        _ = Fixture.press(&state, .end)  // livingroom/temp
        XCTAssertEqual(Fixture.press(&state, .character("d")), [.clearRetained(topics: ["livingroom/temp"])])

        _ = Fixture.press(&state, .home)
        XCTAssertEqual(Fixture.press(&state, .character("D")), [])
        XCTAssertNil(state.confirmation, "nothing retained under garage")
        _ = Fixture.press(&state, .end, .character("h"), .character("D"))
        XCTAssertEqual(state.confirmation?.question, "Clear 2 retained topics under livingroom?")
        XCTAssertEqual(Fixture.press(&state, .character("j")), [], "other keys wait for an answer")
        XCTAssertEqual(selected(state), "livingroom")
        XCTAssertEqual(Fixture.press(&state, .character("n")), [])
        XCTAssertNil(state.confirmation)
        _ = Fixture.press(&state, .character("D"))
        XCTAssertEqual(Fixture.press(&state, .character("y")), [.clearRetained(topics: ["livingroom/humidity", "livingroom/temp"])])
        XCTAssertNil(state.confirmation)

        // The broker echoes the empty retained message: the marker goes.
        _ = update(&state, .message(Fixture.message("livingroom/temp", "", retain: false, at: 6)))
        XCTAssertFalse(state.tree.nodes[state.tree.node("livingroom/temp")!].retained)
    }

    func testQuitFromEverywhere() {
        var state = Fixture.house()
        XCTAssertEqual(Fixture.press(&state, .character("q")), [.quit])
        XCTAssertTrue(state.shouldQuit)

        var typing = Fixture.house()
        _ = Fixture.press(&typing, .character("/"), .character("q"))
        XCTAssertFalse(typing.shouldQuit, "q is text in a prompt")
        XCTAssertEqual(Fixture.press(&typing, .control("c")), [.quit], "Ctrl-C quits from a prompt")

        var help = Fixture.house()
        _ = Fixture.press(&help, .character("?"))
        XCTAssertTrue(help.showHelp)
        XCTAssertEqual(Fixture.press(&help, .character("q")), [], "the first key closes the help")
        XCTAssertFalse(help.showHelp)
        XCTAssertEqual(Fixture.press(&help, .character("q")), [.quit])
    }

    func testPublishFormOpensPrefilledAndStoresTheOutcome() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .end, .character("p"))
        XCTAssertTrue(state.publishFormOpen)
        XCTAssertEqual(state.publishForm.topic, "livingroom/temp")
        _ = Fixture.press(&state, .character("q"))
        XCTAssertFalse(state.shouldQuit, "keys go to the form while it is open")
        let outcome = PublishOutcome(topic: "livingroom/temp", acknowledgement: "PUBACK")
        _ = update(&state, .published(outcome))
        XCTAssertEqual(state.publishForm.lastResult, outcome)
        _ = Fixture.press(&state, .escape)
        XCTAssertFalse(state.publishFormOpen)
    }

    func testSubscriptionEditorAddsAndRemoves() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("S"), .character("a"))
        Fixture.type(&state, "garage/+")
        _ = Fixture.press(&state, .tab)
        XCTAssertEqual(Fixture.press(&state, .enter), [.subscribe(filter: "garage/+", qos: .atLeastOnce)])
        XCTAssertEqual(state.subscriptions, [Subscription(filter: "#"), Subscription(filter: "garage/+", qos: .atLeastOnce)])
        _ = Fixture.press(&state, .character("a"))
        Fixture.type(&state, "bad/#/x")
        XCTAssertEqual(Fixture.press(&state, .enter), [])
        XCTAssertEqual(state.subscriptionEditor?.error, "not a topic filter: bad/#/x")
        _ = Fixture.press(&state, .escape)  // leaves the add line
        XCTAssertEqual(Fixture.press(&state, .character("2")), [.subscribe(filter: "garage/+", qos: .exactlyOnce)])
        _ = Fixture.press(&state, .up)
        XCTAssertEqual(Fixture.press(&state, .character("d")), [.unsubscribe(filter: "#")])
        XCTAssertEqual(state.subscriptions.map(\.filter), ["garage/+"])
        _ = Fixture.press(&state, .escape)
        XCTAssertNil(state.subscriptionEditor)
    }

    func testLogKeysHoldAndFollow() {
        var state = Fixture.house(width: 80, height: 24)
        _ = Fixture.press(&state, .tab, .up)
        XCTAssertFalse(state.log.isFollowing)
        _ = update(&state, .message(Fixture.message("garage/door", "closed", at: 6)))
        XCTAssertEqual(state.log.newSinceHold, 1)
        _ = Fixture.press(&state, .end)
        XCTAssertTrue(state.log.isFollowing)
        _ = update(&state, .mouse(.wheelUp(x: 5, y: 18)))
        XCTAssertFalse(state.log.isFollowing, "the wheel over the log scrolls it")
        _ = update(&state, .mouse(.wheelDown(x: 5, y: 18)))
        XCTAssertTrue(state.log.isFollowing, "back at the newest it follows again")

        _ = Fixture.press(&state, .character("f"))
        Fixture.type(&state, "kitchen/#")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.log.filter, "kitchen/#")
        XCTAssertEqual(state.log.window(rows: 10).map { state.log.entry($0).topic }, ["kitchen/fridge/door", "kitchen/temp"])
    }
}
