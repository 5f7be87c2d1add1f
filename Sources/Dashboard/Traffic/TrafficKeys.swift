/// Keys of the traffic view: it takes every key while open, as the other overlays do.
extension DashboardState {
    mutating func openTraffic() {
        traffic.isOpen = true
        traffic.selected = 0
        traffic.snapshots.reset()
        traffic.snapshots.observe(tree, now: now)
    }

    mutating func handleTraffic(_ key: Key) -> [DashboardCommand] {
        let rows = max(1, TrafficView.rankingRows(ScreenLayout(width: screenWidth, height: screenHeight)))
        switch key {
        case .character("q"):
            shouldQuit = true
            return [.quit]
        case .character("T"), .escape: traffic.isOpen = false
        case .character("?"), .function(1): showHelp = true
        case .character("w"): traffic.window = traffic.window.next
        case .character("b"): traffic.measure = traffic.measure == .messages ? .bytes : .messages
        case .up, .character("k"): moveTrafficSelection(by: -1)
        case .down, .character("j"): moveTrafficSelection(by: 1)
        case .pageUp: moveTrafficSelection(by: -rows)
        case .pageDown: moveTrafficSelection(by: rows)
        case .home, .character("g"): traffic.selected = 0
        case .end, .character("G"): moveTrafficSelection(by: Int.max / 2)
        case .enter: jumpToTrafficSelection()
        default: break
        }
        return []
    }

    /// Snapshots follow the clock only while the view is open.
    mutating func observeTraffic() {
        if traffic.isOpen { traffic.snapshots.observe(tree, now: now) }
    }

    private mutating func moveTrafficSelection(by delta: Int) {
        let count = trafficRanking.rows.count
        traffic.selected = max(0, min(count - 1, traffic.selected + delta))
    }

    /// Enter: the row's topic (or subtree) selected in the tree, its ancestors expanded.
    private mutating func jumpToTrafficSelection() {
        let rows = trafficRanking.rows
        guard rows.indices.contains(traffic.selected) else { return }
        let id = rows[traffic.selected].node
        if tree.nodes[id].isSystem && !settings.showSystemTopics {
            settings.showSystemTopics = true
        }
        traffic.isOpen = false
        focus = .tree
        reveal(id)
        select(id)
    }
}
