/// Key routing: the innermost overlay gets the key first, then the keys that work everywhere,
/// then the focused pane. Ctrl-C quits from anywhere.
extension DashboardState {
    mutating func handle(_ key: Key) -> [DashboardCommand] {
        if key == .control("c") { return quit() }
        notice = nil
        if confirmation != nil { return handleConfirmation(key) }
        if showHelp {
            showHelp = false
            return []
        }
        if prompt != nil { return handlePrompt(key) }
        if subscriptionEditor != nil { return handleSubscriptionEditor(key) }
        if exportDialog != nil { return handleExportDialog(key) }
        if connectionPicker != nil { return handleConnectionPicker(key) }
        if publishFormOpen { return handlePublishForm(key) }
        if brokerPane.isOpen { return handleBrokerPane(key) }
        if traffic.isOpen { return handleTraffic(key) }
        if let commands = handleBoardKey(key) ?? handlePlaybackKey(key) ?? handleGlobal(key) { return commands }
        switch focus {
        case .tree: handleTree(key)
        case .log: handleLog(key)
        case .detail: handleDetail(key)
        }
        return []
    }

    private mutating func quit() -> [DashboardCommand] {
        shouldQuit = true
        return [.quit]
    }

    /// Keys with the same meaning in every pane; nil when the key is not one of them.
    private mutating func handleGlobal(_ key: Key) -> [DashboardCommand]? {
        switch key {
        case .character("q"): return quit()
        case .character("?"), .function(1): showHelp = true
        case .character("/"): prompt = Prompt(purpose: .search, text: "")
        case .character("n"): jumpToHit(forward: true)
        case .character("N"): jumpToHit(forward: false)
        case .character("s"):
            sortOrder = sortOrder == .name ? .recency : .name
            expansionVersion += 1
        case .character("$"):
            settings.showSystemTopics.toggle()
            expansionVersion += 1
        case .tab: cycleFocus(by: 1)
        case .backTab: cycleFocus(by: -1)
        case .character("v"): cyclePayloadView()
        case .character("p"):
            // Prefilled from the selection, the cursor waits in the payload, as init(topic:) does.
            if let id = selection {
                publishForm.topic = tree.nodes[id].topic
                publishForm.focus = .payload
            }
            publishFormOpen = true
        case .character("d"): return clearSelectedRetained()
        case .character("D"): askToClearSubtree()
        case .character("S"): subscriptionEditor = SubscriptionEditor()
        case .character("B"): return openBrokerPane()
        case .character("f"): prompt = Prompt(purpose: .logFilter, text: log.filter ?? "")
        case .character("F"): prompt = Prompt(purpose: .plotField, text: plotField ?? "")
        case .character("O"): togglePlotOverlay()
        case .character("R"): return toggleRecording()
        case .character("e"): openExportDialog()
        case .character("T"): openTraffic()
        case .character("y"): return copySelection(.payload)
        case .character("Y"): return copySelection(.topic)
        case .character("="): toggleDiff()
        case .character("t"):
            timestamps = timestamps?.next ?? .clock
            notice = "times: " + timestamps!.name
        case .character("c"): openConnectionPicker()
        case .escape:
            search = nil
            searchHits = []
        default: return nil
        }
        return []
    }

    /// The selected topic's next view (plain modes and the decoders that apply), kept for the session.
    private mutating func cyclePayloadView() {
        guard let id = selection else { return }
        let topic = tree.nodes[id].topic
        let views = PayloadView.cycle(for: topic, rules: settings.decoders)
        let current = views.firstIndex(of: payloadView(for: topic)) ?? -1
        payloadViews[topic] = views[(current + 1) % views.count]
        detailScroll = 0
    }

    private mutating func cycleFocus(by step: Int) {
        let panes = PaneFocus.allCases
        focus = panes[(panes.firstIndex(of: focus)! + step + panes.count) % panes.count]
    }
}
