/// `!`: the alerts of the session, newest at the bottom: time, topic (and field), value, rule, and
/// whether it cleared or was acknowledged.
struct AlertsPaneView: Widget {
    var board: BoardState
    var utcOffset = 0

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let entries = board.alerts.entries
        let firing = entries.filter { $0.clearedAt == nil && !$0.acknowledged }.count
        Frame(title: "Alerts", note: "\(firing) firing  a ack  Esc close", focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height > 0 else { return }
        guard !entries.isEmpty else {
            buffer.write("No alerts. Rules come from the board file (docs/usage/board.md).", x: inner.x, y: inner.y,
                         style: theme.style(.dim), maxWidth: inner.width)
            return
        }
        let selected = min(board.selectedAlert, entries.count - 1)
        let first = max(0, min(selected - inner.height + 1, entries.count - inner.height))
        for (row, index) in (first..<min(entries.count, first + inner.height)).enumerated() {
            let alert = entries[index]
            let state = alert.acknowledged ? "acked" : alert.clearedAt.map { "cleared " + DetailTime.clock($0, utcOffset: utcOffset) } ?? "FIRING"
            let name = alert.key.field.map { alert.key.topic + " " + $0 } ?? alert.key.topic
            let line = [DetailTime.clock(alert.time, utcOffset: utcOffset), SafeText.line(name, maxCharacters: 80),
                        SafeText.line(alert.value, maxCharacters: 40), "(" + alert.condition.description + ")", state]
                .filter { !$0.isEmpty }.joined(separator: "  ")
            var style = alert.clearedAt == nil && !alert.acknowledged ? theme.style(.error) : theme.style(.text)
            if index == selected { style = theme.style(.selection) }
            buffer.fill(Rect(x: inner.x, y: inner.y + row, width: inner.width, height: 1), style: index == selected ? style : theme.style(.text))
            buffer.write(line, x: inner.x, y: inner.y + row, style: style, maxWidth: inner.width)
        }
    }
}
