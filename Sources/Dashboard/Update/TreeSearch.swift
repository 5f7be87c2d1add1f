import MQTTCore

/// Search (`/`, `n`, `N`): hits in the tree's display order, revealed and selected.
extension DashboardState {
    /// Every node in display order, folded or not (hidden `$SYS` left out): the order `n` and `N` walk.
    private func allNodesInOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(tree.nodes.count)
        var stack = Array(tree.children(of: TopicTree.root, by: sortOrder, cache: rowCache).reversed())
        while let id = stack.popLast() {
            if tree.nodes[id].isSystem && !settings.showSystemTopics { continue }
            order.append(id)
            stack.append(contentsOf: tree.children(of: id, by: sortOrder, cache: rowCache).reversed())
        }
        return order
    }

    mutating func runSearch(_ query: String) {
        search = query.isEmpty ? nil : query
        jumpToHit(forward: true, includingCurrent: true)
    }

    /// A query with `+` or `#` is an MQTT filter, anything else a case-insensitive substring of the topic.
    /// Recomputes the hits (topics keep arriving) and selects the next one after the selection, wrapping.
    mutating func jumpToHit(forward: Bool, includingCurrent: Bool = false) {
        guard let query = search else { return }
        let order = allNodesInOrder()
        let lowered = query.lowercased()
        let isFilter = query.contains("+") || query.contains("#")
        var hitPositions: [Int] = []
        for (position, id) in order.enumerated() {
            let topic = tree.nodes[id].topic
            if isFilter ? Topic.matches(filter: query, topic: topic) : topic.lowercased().contains(lowered) {
                hitPositions.append(position)
            }
        }
        searchHits = hitPositions.map { order[$0] }
        guard !hitPositions.isEmpty else {
            notice = "no topic matches " + query
            return
        }
        let current = selection.flatMap { order.firstIndex(of: $0) } ?? -1
        let index: Int
        if forward {
            index = hitPositions.firstIndex { includingCurrent ? $0 >= current : $0 > current } ?? 0
        } else {
            index = hitPositions.lastIndex { $0 < current } ?? hitPositions.count - 1
        }
        let hit = order[hitPositions[index]]
        reveal(hit)
        select(hit)
        notice = "match \(index + 1)/\(hitPositions.count)"
    }

    /// Expands every ancestor of `id` so that it has a row.
    mutating func reveal(_ id: Int) {
        var current = tree.nodes[id].parent
        while current > TopicTree.root {
            if !isExpanded(current) { tree.setExpanded(current, true) }
            current = tree.nodes[current].parent
        }
        expansionVersion += 1
    }
}
