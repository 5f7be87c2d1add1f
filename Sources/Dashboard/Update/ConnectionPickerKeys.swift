import PayloadDecoders

/// `c`: choose a profile and watch its broker instead. The app resolves the profile (its password command
/// may take a while) and answers with `.connectionSwitch`; until then the old broker's traffic goes on.
extension DashboardState {
    mutating func openConnectionPicker() {
        if connection == .file {
            notice = "c switches brokers; this is a recording"
            return
        }
        guard !settings.connectionChoices.isEmpty else {
            notice = settings.connectionChoicesProblem.map { "no profiles: " + SafeText.line($0, maxCharacters: 120) }
                ?? "no profiles to switch to: add [profiles.NAME] to the profiles file (see docs/usage/profiles.md)"
            return
        }
        connectionPicker = ConnectionPicker(choices: settings.connectionChoices)
    }

    /// ↑↓ (or j k) select, Enter switches, Esc closes.
    mutating func handleConnectionPicker(_ key: Key) -> [DashboardCommand] {
        guard var picker = connectionPicker else { return [] }
        let count = picker.choices.count
        switch key {
        case .escape, .character("c"):
            connectionPicker = nil
            return []
        case .up, .character("k"): picker.selected = (picker.selected - 1 + count) % count
        case .down, .character("j"): picker.selected = (picker.selected + 1) % count
        case .home: picker.selected = 0
        case .end: picker.selected = count - 1
        case .enter:
            connectionPicker = nil
            let name = picker.choices[picker.selected].name
            notice = "switching to " + SafeText.line(name, maxCharacters: 60) + " ..."
            // A recording names its broker in its header: it ends before the broker changes.
            return (recording != nil ? [.stopRecording] : []) + [.switchConnection(profile: name)]
        default: break
        }
        connectionPicker = picker
        return []
    }

    mutating func receive(_ outcome: ConnectionSwitchOutcome) {
        switch outcome {
        case .failed(let profile, let reason):
            notice = "cannot switch to " + SafeText.line(profile, maxCharacters: 40) + ": " + SafeText.line(reason, maxCharacters: 120)
        case .switched(let switched):
            startFresh(with: switched)
            notice = "switched to " + SafeText.line(switched.profile, maxCharacters: 60)
        }
    }

    /// A fresh tree, log and everything learnt from the old broker's messages; the layout, the theme, the
    /// focus, the decoder rules and the per-topic choices of the session (`v`, folds) stay.
    private mutating func startFresh(with switched: SwitchedConnection) {
        settings.brokerURL = switched.brokerURL
        settings.clientID = switched.clientID
        settings.isV5 = switched.isV5
        subscriptions = switched.subscriptions
        connection = .connecting
        lastConnectionProblem = nil
        tree = TopicTree(historyCapacity: settings.historyPerTopic)
        log = MessageLog(capacity: settings.logCapacity)
        rate = MessageRate()
        decoding = PayloadDecoding(rules: settings.decoders, limits: decoding.limits)
        selectedNode = nil
        treeScroll = 0
        detailScroll = 0
        search = nil
        searchHits = []
        skippedMessages = 0
        subscriptionEditor = nil
        expansionVersion += 1
        rowCache = RowCache()
    }
}
