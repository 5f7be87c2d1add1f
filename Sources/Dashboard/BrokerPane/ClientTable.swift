/// The connected clients, one per row, the selected one highlighted; columns give way on narrow screens.
struct ClientTable: Widget {
    var pane: BrokerPaneState
    var now: Double

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.height >= 1, area.width >= 1, let report = pane.report else { return }
        let columns = ClientColumn.fitting(width: area.width - 1)
        let idWidth = ClientColumn.clientIDWidth(of: columns, in: area.width - 1)
        var x = area.x + 1
        for column in columns {
            let width = column == .clientID ? idWidth : column.width
            column.write(column.title, x: x, width: width, y: area.y, buffer: &buffer, style: theme.style(.formLabel))
            x += width + 1
        }
        let rows = area.height - 1
        guard rows > 0 else { return }
        guard !report.clients.isEmpty else {
            buffer.write(" no clients connected", x: area.x, y: area.y + 1, style: theme.style(.dim), maxWidth: area.width)
            return
        }
        for (line, index) in visibleRows(height: area.height).enumerated() {
            let client = report.clients[index]
            let y = area.y + 1 + line
            let selected = index == pane.selected
            let style = theme.style(selected ? .selection : .text)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            var x = area.x + 1
            for column in columns {
                let width = column == .clientID ? idWidth : column.width
                let text = column.text(for: client, rate: pane.rates[client.connection], now: now)
                column.write(text, x: x, width: width, y: y, buffer: &buffer, style: style)
                x += width + 1
            }
        }
    }

    /// The clients on screen in a table `height` lines high (its heading included), the selection among them.
    func visibleRows(height: Int) -> Range<Int> {
        let count = pane.report?.clients.count ?? 0
        let rows = max(0, height - 1)
        guard rows > 0 else { return 0..<0 }
        let first = BrokerPaneState.scroll(keeping: pane.selected, visibleIn: rows, from: pane.scroll, count: count)
        return first..<min(count, first + rows)
    }
}
