/// The topic tree: one row per visible node with indentation, expand marker, name, retained
/// marker, last value, message counts (node/subtree) and time since the last message.
struct TreePane: Widget {
    var state: DashboardState

    /// Marks a topic whose broker holds a retained value.
    static let retainedMarker = "®"
    /// Seconds a changed value stays in the flash style.
    static let flashSeconds = 1.0

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let title = "Topics" + (state.sortOrder == .recency ? " by recency" : "") + (state.settings.showSystemTopics ? " +$SYS" : "")
        let note = state.search.map { "/" + SafeText.line($0, maxCharacters: 20) + " \(state.searchHits.count) hits" } ?? ""
        Frame(title: title, note: note, focused: state.focus == .tree).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard !inner.isEmpty else { return }
        let rows = state.treeRows
        if rows.isEmpty {
            buffer.write("waiting for messages…", x: inner.x + 1, y: inner.y, style: theme.style(.dim), maxWidth: inner.width - 1)
            return
        }
        let scroll = state.visibleTreeScroll(height: inner.height)
        let selectedRow = state.selectedRow
        let hits = Set(state.searchHits)
        let shown = rows[scroll..<min(rows.count, scroll + inner.height)]
        // Values start in one column when the names on screen allow it, so they read as a table.
        let nameColumns = shown.map { id in
            let node = state.tree.nodes[id]
            return 2 * node.depth + DisplayWidth.of(SafeText.line(node.name, maxCharacters: 200)) + (node.retained ? 2 : 0)
        }
        let valueColumn = min((nameColumns.max() ?? 0) + 2, inner.width / 2)
        for (line, id) in shown.enumerated() {
            drawRow(id, selected: scroll + line == selectedRow, hit: hits.contains(id), valueColumn: valueColumn,
                    area: Rect(x: inner.x, y: inner.y + line, width: inner.width, height: 1), buffer: &buffer, theme: theme)
        }
    }

    private func drawRow(_ id: Int, selected: Bool, hit: Bool, valueColumn: Int, area: Rect, buffer: inout Buffer, theme: Theme) {
        let node = state.tree.nodes[id]
        func style(_ role: Role) -> Style { selected ? theme.style(.selection) : theme.style(role) }
        if selected { buffer.fill(area, style: theme.style(.selection)) }

        // Right side first: the counts and age must stay readable, the value gets what is left.
        let counts = node.hasChildren ? Format.count(node.count) + "/" + Format.count(node.subtreeCount) : Format.count(node.count)
        let age = node.lastTime > 0 ? (state.timestamps ?? .age).text(node.lastTime, now: state.now) : "-"
        let right = counts + " " + Format.pad(age, 3)
        let rightWidth = DisplayWidth.of(right)
        let showRight = area.width >= rightWidth + 12

        var x = area.x
        let end = area.maxX - (showRight ? rightWidth + 1 : 0)
        let indent = String(repeating: "  ", count: max(0, node.depth - 1))
        let marker = node.hasChildren ? (state.isExpanded(id) ? "▾ " : "▸ ") : "  "
        x += buffer.write(indent + marker, x: x, y: area.y, style: style(.dim), maxWidth: max(0, end - x))
        let name = node.name.isEmpty ? "\"\"" : SafeText.line(node.name, maxCharacters: 200)
        x += buffer.write(name, x: x, y: area.y, style: style(hit ? .searchMatch : .text), maxWidth: max(0, end - x))
        if node.retained {
            x += buffer.write(" " + Self.retainedMarker, x: x, y: area.y, style: style(.retained), maxWidth: max(0, end - x))
        }
        x = max(x + 2, area.x + valueColumn)
        if let last = node.last, end - x > 1 {
            let flashing = state.now - node.changedAt < Self.flashSeconds && node.changedAt >= 0
            let value = PayloadPreview.line(last, columns: end - x - 1, decoded: state.decoded(last))
            buffer.write(value, x: x, y: area.y, style: style(flashing ? .flash : .text), maxWidth: end - x - 1)
        }
        if showRight {
            buffer.write(right, x: area.maxX - rightWidth, y: area.y, style: style(.dim))
        }
    }
}
