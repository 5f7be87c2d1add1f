/// The message log: time, topic, QoS, retain flag and a payload preview per line; says how many
/// arrived while the view is held.
struct LogPane: Widget {
    var state: DashboardState

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let log = state.log
        let title = "Log" + (log.filter.map { " " + SafeText.line($0, maxCharacters: 40) } ?? "")
        let note = log.isFollowing ? "\(Format.count(log.count)) kept" : "\(Format.count(log.newSinceHold)) new ↓"
        Frame(title: title, note: note, focused: state.focus == .log).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard !inner.isEmpty else { return }
        let window = log.window(rows: inner.height)
        if window.isEmpty {
            buffer.write("no messages yet", x: inner.x + 1, y: inner.y, style: theme.style(.dim), maxWidth: inner.width - 1)
            return
        }
        let messages = window.map(log.entry)
        let topics = messages.map { SafeText.line($0.topic, maxCharacters: 120) }
        // The topic column is as wide as the longest topic on screen, up to 40% of the pane.
        let topicWidth = min(max(5, inner.width * 2 / 5), topics.map { DisplayWidth.of($0) }.max() ?? 0)
        for (line, message) in messages.enumerated() {
            let y = inner.y + line
            var x = inner.x
            x += buffer.write((state.timestamps ?? .clock).text(message.receivedAt, now: state.now) + " ", x: x, y: y, style: theme.style(.dim), maxWidth: inner.maxX - x)
            buffer.write(topics[line], x: x, y: y, style: theme.style(.text), maxWidth: min(topicWidth, inner.maxX - x))
            x += topicWidth + 1
            guard x < inner.maxX else { continue }
            x += buffer.write("q\(message.qos.rawValue) ", x: x, y: y, style: theme.style(.dim), maxWidth: inner.maxX - x)
            x += buffer.write(message.retain ? "R " : "- ", x: x, y: y, style: theme.style(message.retain ? .retained : .dim), maxWidth: inner.maxX - x)
            let preview = PayloadPreview.line(message, columns: inner.maxX - x, decoded: state.decoded(message))
            buffer.write(preview, x: x, y: y, style: theme.style(.text), maxWidth: inner.maxX - x)
        }
    }
}
