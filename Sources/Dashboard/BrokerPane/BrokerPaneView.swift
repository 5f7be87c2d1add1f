/// The broker pane: the broker's figures on top, then one section per kind of peer: the connected clients,
/// and the bridges below them.
struct BrokerPaneView: Widget {
    var pane: BrokerPaneState
    var now: Double

    /// Where the pane goes: the whole screen above the status bar, so the status line still shows notices.
    static func area(_ layout: ScreenLayout) -> Rect {
        Rect(x: 0, y: 0, width: layout.screen.width, height: max(0, layout.screen.height - 1))
    }

    /// Client rows that fit on a screen of this size (what paging moves by).
    static func clientRows(layout: ScreenLayout, report: BrokerReport?) -> Int {
        let inner = Frame.inner(area(layout))
        let figures = report.map { figureLines($0.figures, width: inner.width - 1).count } ?? 0
        let bridges = BridgeTable.height(bridges: report?.bridges.count ?? 0)
        // The heading row of the list, and a blank line under the figures.
        return max(1, inner.height - figures - 2 - bridges)
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.fill(area, style: theme.style(.text))
        let note = (pane.report?.bridges.isEmpty ?? true) ? "x disconnect  B close" : "x disconnect  Tab bridges  B close"
        Frame(title: "Broker", note: note, focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard !inner.isEmpty else { return }
        guard let report = pane.report else {
            buffer.write(" waiting for the broker…", x: inner.x, y: inner.y, style: theme.style(.dim), maxWidth: inner.width)
            return
        }
        var y = inner.y
        for line in Self.figureLines(report.figures, width: inner.width - 1) where y < inner.maxY {
            buffer.write(line, x: inner.x + 1, y: y, style: theme.style(.text), maxWidth: inner.width - 1)
            y += 1
        }
        y += 1
        guard y < inner.maxY else { return }
        let bridgeHeight = min(BridgeTable.height(bridges: report.bridges.count), max(0, inner.maxY - y - 2))
        let section = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y - bridgeHeight)
        BridgeTable(pane: pane, now: now)
            .render(in: Rect(x: inner.x, y: section.maxY, width: inner.width, height: bridgeHeight), buffer: &buffer, theme: theme)
        let table = ClientTable(pane: pane, now: now)
        table.render(in: section, buffer: &buffer, theme: theme)
        // Where the list stands, on the bottom border (the rows keep every column).
        let visible = table.visibleRows(height: section.height)
        if report.clients.count > visible.count {
            let position = " \(visible.lowerBound + 1)-\(visible.upperBound) of \(report.clients.count) "
            let width = DisplayWidth.of(position)
            if width + 4 <= area.width {
                buffer.write(position, x: area.maxX - 2 - width, y: area.maxY - 1, style: theme.style(.dim))
            }
        }
    }

    /// The `$SYS` figures as "name value" items, wrapped onto at most two lines; what does not fit is left out.
    static func figureLines(_ figures: BrokerReport.Figures, width: Int) -> [String] {
        let items = [
            "clients \(figures.connectedClients)", "sessions \(Format.count(figures.sessions))",
            "msgs in \(count(figures.messagesReceived)) out \(count(figures.messagesSent))",
            "bytes in \(count(figures.bytesReceived)) out \(count(figures.bytesSent))",
            "retained \(Format.count(figures.retained))", "dropped \(count(figures.dropped))",
            "up " + Format.age(Double(figures.uptimeSeconds)),
        ]
        var lines: [String] = []
        var line = ""
        for item in items {
            let candidate = line.isEmpty ? item : line + "  " + item
            if DisplayWidth.of(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            guard lines.count < 2 else { return lines }
            line = DisplayWidth.of(item) <= width ? item : ""
        }
        if !line.isEmpty && lines.count < 2 { lines.append(line) }
        return lines
    }

    static func count(_ value: UInt64) -> String { Format.count(Int(clamping: value)) }
}
