/// `?`: every key, in as many columns as the box needs.
struct HelpOverlay: Widget {
    /// Over 3.1.1 the retained marker means less (see docs/usage/dashboard.md): the frame says so.
    var isV5 = true

    /// The key map as the user reads it; the table in docs/usage/dashboard.md is the same list.
    static let entries: [(keys: String, action: String)] = [
        ("↑ ↓ k j", "move in the focused pane"),
        ("← h  → l", "collapse / go to parent, expand / go to child"),
        ("Enter Space", "expand or collapse the topic"),
        ("PgUp PgDn", "page up / down"),
        ("Home g End G", "first / last row; End follows the log"),
        ("Tab Shift-Tab", "next / previous pane"),
        ("/", "search topics: text, or a filter like +/temp"),
        ("n N", "next / previous search match"),
        ("Esc", "clear the search, close a dialog"),
        ("s t", "sort by name or recency; t times clock/ms/age"),
        ("$ T", "show or hide $SYS topics; T traffic ranking"),
        ("v =", "payload view or decoder; = diff previous"),
        ("F O", "plot field (JSON or decoded); O overlay topic"),
        ("f R e", "filter the log; R record, e export"),
        ("p c y Y", "publish; c switch broker; y Y copy"),
        ("d D", "clear the retained topic / all below it"),
        ("S", "subscriptions: a add, d remove, 0-2 QoS"),
        ("B x r", "broker pane; x client, Tab r bridge"),
        ("W P !", "board (< > [ ] x M + - on it); pin; alerts"),
        ("? q Ctrl-C", "this help; quit; mouse: click, wheel"),
    ]

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let note = isV5 ? "any key closes" : "over 3.1.1 ® = seen retained · any key closes"
        Frame(title: "Keys", note: note, focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height > 0 else { return }
        let keyWidth = Self.entries.map { DisplayWidth.of($0.keys) }.max() ?? 0
        let columns = (Self.entries.count + inner.height - 1) / inner.height
        let columnWidth = inner.width / max(1, columns)
        for (index, entry) in Self.entries.enumerated() {
            let x = inner.x + 1 + (index / inner.height) * columnWidth
            let y = inner.y + index % inner.height
            let limit = min(columnWidth - 1, inner.maxX - x)
            guard limit > 0 else { continue }
            buffer.write(Format.pad(entry.keys, keyWidth), x: x, y: y, style: theme.style(.formLabel), maxWidth: limit)
            buffer.write(entry.action, x: x + keyWidth + 2, y: y, style: theme.style(.help), maxWidth: max(0, limit - keyWidth - 2))
        }
    }

    /// The box size that shows every entry in one column when the screen allows it.
    static func size(screen: Rect) -> (width: Int, height: Int) {
        let keyWidth = entries.map { DisplayWidth.of($0.keys) }.max() ?? 0
        let longest = keyWidth + 2 + (entries.map { DisplayWidth.of($0.action) }.max() ?? 0)
        let height = min(entries.count + 2, screen.height - 2)
        let columns = (entries.count + max(1, height - 2) - 1) / max(1, height - 2)
        // Per column: a space before and after the entry; plus the two border cells.
        return (min(screen.width - 2, columns * (longest + 2) + 2), height)
    }
}
