/// Keys of the broker pane: it takes every key while open, as the other overlays do.
extension DashboardState {
    mutating func openBrokerPane() -> [DashboardCommand] {
        guard settings.hasEmbeddedBroker else {
            notice = "no embedded broker (start with --broker)"
            return []
        }
        brokerPane.isOpen = true
        return [.watchBroker(true)]
    }

    mutating func handleBrokerPane(_ key: Key) -> [DashboardCommand] {
        let rows = BrokerPaneView.clientRows(layout: ScreenLayout(width: screenWidth, height: screenHeight),
                                             report: brokerPane.report)
        if brokerPane.bridgesFocused && handleBridgeKey(key) { return [] }
        switch key {
        case .character("B"), .escape, .character("q"):
            brokerPane.isOpen = false
            return [.watchBroker(false)]
        case .character("?"), .function(1): showHelp = true
        case .tab, .backTab: brokerPane.toggleFocus()
        case .up, .character("k"): brokerPane.move(by: -1, rows: rows)
        case .down, .character("j"): brokerPane.move(by: 1, rows: rows)
        case .pageUp: brokerPane.move(by: -rows, rows: rows)
        case .pageDown: brokerPane.move(by: rows, rows: rows)
        case .home, .character("g"): brokerPane.move(by: -Int.max / 2, rows: rows)
        case .end, .character("G"): brokerPane.move(by: Int.max / 2, rows: rows)
        case .character("x"), .delete: askToDisconnectSelectedClient()
        default: break
        }
        return []
    }

    /// Up, down and r while Tab has moved the keys to the bridges; false for the keys that mean the same there.
    private mutating func handleBridgeKey(_ key: Key) -> Bool {
        switch key {
        case .up, .character("k"): brokerPane.moveBridge(by: -1)
        case .down, .character("j"): brokerPane.moveBridge(by: 1)
        case .character("r"): askToRestartSelectedBridge()
        default: return false
        }
        return true
    }

    private mutating func askToRestartSelectedBridge() {
        guard let bridge = brokerPane.selectedBridgeReport else {
            notice = "no bridge selected"
            return
        }
        let name = SafeText.line(bridge.name, maxCharacters: 60)
        confirmation = Confirmation(question: "Restart bridge \(name)?", commands: [.restartBridge(name: bridge.name)],
                                    notice: "restarting bridge " + name)
    }

    private mutating func askToDisconnectSelectedClient() {
        guard let client = brokerPane.selectedClient else {
            notice = "no client selected"
            return
        }
        let name = SafeText.line(client.clientID, maxCharacters: 60)
        confirmation = Confirmation(question: "Disconnect client \(name)?",
                                    commands: [.disconnectClient(clientID: client.clientID)],
                                    notice: "disconnecting " + name)
    }
}
