/// `T`: topics and subtrees ranked by messages/s or bytes/s over the window, with their share of
/// the total, the largest payload and the mean gap between messages.
struct TrafficView: Widget {
    var state: DashboardState

    /// Where the view goes: the whole screen above the status bar, as the broker pane.
    static func area(_ layout: ScreenLayout) -> Rect {
        Rect(x: 0, y: 0, width: layout.screen.width, height: max(0, layout.screen.height - 1))
    }

    /// Ranking rows that fit (inside the frame, under the heading).
    static func rankingRows(_ layout: ScreenLayout) -> Int { max(0, Frame.inner(area(layout)).height - 2) }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let traffic = state.traffic
        buffer.fill(area, style: theme.style(.text))
        let ranking = state.trafficRanking
        let sortName = traffic.measure == .messages ? "msgs/s" : "bytes/s"
        var title = "Traffic by " + sortName + " over " + traffic.window.name
        if ranking.span + 0.5 < traffic.window.seconds { title += " (measured \(Int(ranking.span.rounded())) s so far)" }
        Frame(title: title, note: "w window  b msgs/bytes  Enter go  T close", focused: true)
            .render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height > 2 else { return }
        let total = "total " + Self.perSecond(Double(ranking.totalMessages) / max(ranking.span, 1e-9), unit: "msg")
            + "  " + Self.perSecond(Double(ranking.totalBytes) / max(ranking.span, 1e-9), unit: "B")
        buffer.write(ranking.span > 0 ? total : "measuring… (rates show after a second)", x: inner.x + 1, y: inner.y,
                     style: theme.style(.dim), maxWidth: inner.width - 1)
        let figures = [("msgs/s", 9), ("bytes/s", 10), ("share", 6), ("largest", 8), ("mean gap", 9)]
        let figuresWidth = figures.reduce(0) { $0 + $1.1 + 1 }
        let topicWidth = max(8, inner.width - 2 - figuresWidth)
        var heading = Format.pad("topic", topicWidth)
        for (name, width) in figures { heading += " " + Self.right(name, width) }
        buffer.write(heading, x: inner.x + 1, y: inner.y + 1, style: theme.style(.formLabel), maxWidth: inner.width - 1)
        let visible = inner.height - 2
        guard visible > 0, !ranking.rows.isEmpty else { return }
        let selected = min(traffic.selected, ranking.rows.count - 1)
        let scroll = max(0, selected - visible + 1)
        for (line, row) in ranking.rows[scroll..<min(ranking.rows.count, scroll + visible)].enumerated() {
            let y = inner.y + 2 + line
            let isSelected = scroll + line == selected
            let style = theme.style(isSelected ? .selection : .text)
            if isSelected { buffer.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style) }
            let node = state.tree.nodes[row.node]
            let topic = SafeText.line(node.topic.isEmpty ? "\"\"" : node.topic, maxCharacters: 200) + (row.isSubtree ? "/#" : "")
            var text = Format.pad(Self.cut(topic, topicWidth), topicWidth)
            let values = [Self.decimal(row.messagesPerSecond), Self.bytes(row.bytesPerSecond), Self.percent(row.share),
                          Self.bytes(Double(row.largestPayload)), row.meanGap.map(Self.duration) ?? "-"]
            for (value, (_, width)) in zip(values, figures) { text += " " + Self.right(value, width) }
            buffer.write(text, x: inner.x + 1, y: y, style: style, maxWidth: inner.width - 1)
        }
    }

    /// A topic too long for its column keeps its end, where the levels that differ usually are.
    static func cut(_ text: String, _ width: Int) -> String {
        guard DisplayWidth.of(text) > width, width > 1 else { return text }
        var kept = ""
        var used = 0
        for character in text.reversed() {
            let w = DisplayWidth.of(String(character))
            if used + w > width - 1 { break }
            kept = String(character) + kept
            used += w
        }
        return "…" + kept
    }

    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(text))) + text
    }

    /// "0.4", "12.5", "1234", "12.3k".
    static func decimal(_ value: Double) -> String {
        if value >= 10_000 { return Format.count(Int(value.rounded())) }
        if value >= 100 { return String(Int(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// "512 B", "1.5 KB", "2.0 MB" (1024-based, as payload sizes usually are).
    static func bytes(_ value: Double) -> String {
        if value < 1024 { return String(Int(value.rounded())) + " B" }
        if value < 1024 * 1024 { return oneDecimal(value / 1024) + " KB" }
        return oneDecimal(value / (1024 * 1024)) + " MB"
    }

    static func percent(_ share: Double) -> String {
        oneDecimal(share * 100) + "%"
    }

    /// A gap: "250ms", "4.2s", "3m".
    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return String(Int((seconds * 1000).rounded())) + "ms" }
        if seconds < 60 { return oneDecimal(seconds) + "s" }
        return Format.age(seconds)
    }

    static func perSecond(_ value: Double, unit: String) -> String {
        unit == "B" ? bytes(value) + "/s" : decimal(value) + " " + unit + "/s"
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
