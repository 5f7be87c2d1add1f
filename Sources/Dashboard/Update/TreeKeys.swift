/// The tree pane's keys: moving the selection, folding and unfolding.
extension DashboardState {
    mutating func handleTree(_ key: Key) {
        let page = max(1, treeHeight - 1)
        switch key {
        case .up, .character("k"): moveSelection(by: -1)
        case .down, .character("j"): moveSelection(by: 1)
        case .pageUp: moveSelection(by: -page)
        case .pageDown: moveSelection(by: page)
        case .home, .character("g"): moveSelection(by: -Int.max / 2)
        case .end, .character("G"): moveSelection(by: Int.max / 2)
        case .enter, .character(" "): if let id = selection { toggle(id) }
        case .left, .character("h"):
            guard let id = selection else { return }
            if tree.nodes[id].hasChildren && isExpanded(id) {
                setExpanded(id, false)
            } else if tree.nodes[id].parent > TopicTree.root {
                select(tree.nodes[id].parent)
            }
        case .right, .character("l"):
            guard let id = selection, tree.nodes[id].hasChildren else { return }
            if isExpanded(id) { moveSelection(by: 1) } else { setExpanded(id, true) }
        default: break
        }
    }

    mutating func moveSelection(by delta: Int) {
        let rows = treeRows
        guard !rows.isEmpty else { return }
        let current = selectedRow ?? 0
        select(rows[max(0, min(rows.count - 1, current + delta))])
    }

    mutating func select(_ id: Int) {
        if id != selectedNode { detailScroll = 0 }
        // Pin the current row before moving, so the scroll is measured from what is on screen.
        treeScroll = visibleTreeScroll(height: treeHeight)
        selectedNode = id
        treeScroll = visibleTreeScroll(height: treeHeight)
    }

    mutating func toggle(_ id: Int) {
        guard tree.nodes[id].hasChildren else { return }
        setExpanded(id, !isExpanded(id))
    }

    mutating func setExpanded(_ id: Int, _ expanded: Bool) {
        // Selecting the node first keeps the selection visible when a descendant of it was selected.
        if let selected = selection, selected != id, !expanded, isAncestor(id, of: selected) { selectedNode = id }
        tree.setExpanded(id, expanded)
        expansionVersion += 1
        treeScroll = visibleTreeScroll(height: treeHeight)
    }

    private func isAncestor(_ ancestor: Int, of id: Int) -> Bool {
        var current = tree.nodes[id].parent
        while current >= 0 {
            if current == ancestor { return true }
            current = tree.nodes[current].parent
        }
        return false
    }
}
