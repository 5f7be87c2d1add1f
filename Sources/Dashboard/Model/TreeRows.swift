/// The tree's visible rows, cached between frames. `render` takes the state by value and cannot
/// store anything, yet flattening 100 000 topics per frame would cost more than the frame; so the
/// cache is a reference that `render` may fill. `update` replaces it before mutating when it is
/// shared (the copy-on-write rule by hand), so two diverging copies of a state never share rows.
/// It is only touched by the thread that owns the state, hence `@unchecked Sendable`.
final class RowCache: @unchecked Sendable {
    struct Key: Equatable {
        var structure: Int
        var expansion: Int
        var autoDepth: Int
        /// Message count when sorting by recency (the order changes with every message), else 0.
        var recency: Int
    }

    var key: Key?
    var rows: [Int] = []
    /// Node -> row index.
    var rowOf: [Int: Int] = [:]
    /// Node -> children by name, valid while the child count is the same.
    var sortedChildren: [Int: [Int]] = [:]
}

extension DashboardState {
    /// Content rows of the tree pane at the current screen size.
    var treeHeight: Int { max(1, ScreenLayout(width: screenWidth, height: screenHeight).tree.height - 2) }

    /// The deepest level shown without the user expanding anything: as deep as the rows still fit the pane.
    var autoDepth: Int {
        var total = 0
        var depth = 1
        for level in 1..<max(1, tree.nodesPerDepth.count) {
            total += tree.nodesPerDepth[level]
            if total > treeHeight { break }
            depth = level
        }
        return depth
    }

    func isExpanded(_ id: Int) -> Bool {
        if id == TopicTree.root { return true }
        let node = tree.nodes[id]
        return node.expandedOverride ?? (node.depth < autoDepth)
    }

    /// Visible node ids in display order.
    var treeRows: [Int] {
        let depth = autoDepth
        let key = RowCache.Key(structure: tree.structureVersion, expansion: expansionVersion, autoDepth: depth,
                               recency: sortOrder == .recency ? tree.totalMessages : 0)
        if rowCache.key == key { return rowCache.rows }
        var rows: [Int] = []
        var stack = Array(tree.children(of: TopicTree.root, by: sortOrder, cache: rowCache).reversed())
        while let id = stack.popLast() {
            let node = tree.nodes[id]
            if node.isSystem && !settings.showSystemTopics { continue }
            rows.append(id)
            if node.hasChildren && (node.expandedOverride ?? (node.depth < depth)) {
                stack.append(contentsOf: tree.children(of: id, by: sortOrder, cache: rowCache).reversed())
            }
        }
        rowCache.key = key
        rowCache.rows = rows
        var rowOf: [Int: Int] = [:]
        rowOf.reserveCapacity(rows.count)
        for (row, id) in rows.enumerated() { rowOf[id] = row }
        rowCache.rowOf = rowOf
        return rows
    }

    /// The row of `id`, or of its nearest visible ancestor when it is folded away.
    func row(of id: Int) -> Int? {
        _ = treeRows
        var current = id
        while current > TopicTree.root {
            if let row = rowCache.rowOf[current] { return row }
            current = tree.nodes[current].parent
        }
        return nil
    }

    /// The selected node as shown: the stored one, or, until the user chooses, the first row with a
    /// message of its own, so that the first frames show a value (and its plot) rather than a bare level.
    public var selection: Int? {
        if let selectedNode, selectedNode < tree.nodes.count { return selectedNode }
        let rows = treeRows
        return rows.first { tree.nodes[$0].count > 0 } ?? rows.first
    }

    /// The row the selection highlights.
    var selectedRow: Int? { selection.flatMap { row(of: $0) } }

    /// The first row to draw so that the selection stays on screen.
    func visibleTreeScroll(height: Int) -> Int {
        let count = treeRows.count
        var scroll = min(treeScroll, max(0, count - height))
        if let row = selectedRow {
            if row < scroll { scroll = row }
            if row >= scroll + height { scroll = row - height + 1 }
        }
        return max(0, scroll)
    }

    /// Before a mutation that changes rows: give this copy its own cache if another copy shares it.
    mutating func detachRowCache() {
        if !isKnownUniquelyReferenced(&rowCache) { rowCache = RowCache() }
        if !isKnownUniquelyReferenced(&traffic.cache) { traffic.cache = TrafficRankingCache() }
        if !isKnownUniquelyReferenced(&board.plotCache) { board.plotCache = TilePlotCache() }
    }
}
