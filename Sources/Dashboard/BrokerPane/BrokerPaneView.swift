/// The broker pane: the broker's figures on top, then one section per kind of peer. Today the only section
/// is the connected clients; bridges will be a second section below it, drawn the same way.
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
        // The heading row of the list, and a blank line under the figures.
        return max(1, inner.height - figures - 2)
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.fill(area, style: theme.style(.text))
        Frame(title: "Broker", note: "x disconnect  B close", focused: true).render(in: area, buffer: &buffer, theme: theme)
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
        let section = Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y)
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

/// One column of the client table, in display order.
enum ClientColumn: CaseIterable {
    case clientID, user, address, version, keepAlive, subscriptions, queued, inflight, rateIn, rateOut, since

    /// Which columns go first when the screen is narrow: the client id always stays.
    static let dropOrder: [ClientColumn] = [.address, .user, .keepAlive, .version, .since, .inflight, .queued,
                                            .subscriptions, .rateOut, .rateIn]
    /// Below this the client id would be cut too short to recognise: columns are dropped first.
    static let clientIDMinimum = 16
    static let clientIDMaximum = 40

    var title: String {
        switch self {
        case .clientID: "client id"
        case .user: "user"
        case .address: "address"
        case .version: "mqtt"
        case .keepAlive: "keep"
        case .subscriptions: "subs"
        case .queued: "queued"
        case .inflight: "infl"
        case .rateIn: "in/s"
        case .rateOut: "out/s"
        case .since: "since"
        }
    }

    /// Fixed width in cells (the client id's is what is left, see `clientIDWidth`).
    var width: Int {
        switch self {
        case .clientID: ClientColumn.clientIDMinimum
        case .user: 12
        case .address: 21
        case .version: 5
        case .keepAlive: 5
        case .subscriptions: 4
        case .queued: 6
        case .inflight: 4
        case .rateIn, .rateOut: 7
        case .since: 5
        }
    }

    var isNumber: Bool {
        switch self {
        case .clientID, .user, .address, .version: false
        default: true
        }
    }

    /// The columns that fit `width` cells, one space between each.
    static func fitting(width: Int) -> [ClientColumn] {
        var columns = allCases
        var dropping = dropOrder[...]
        while columns.map({ $0.width + 1 }).reduce(0, +) - 1 > width, let next = dropping.popFirst() {
            columns.removeAll { $0 == next }
        }
        return columns
    }

    static func clientIDWidth(of columns: [ClientColumn], in width: Int) -> Int {
        let others = columns.filter { $0 != .clientID }.map { $0.width + 1 }.reduce(0, +)
        return max(1, min(clientIDMaximum, width - others))
    }

    /// The cell text; client-chosen strings (client id, user name) go through `SafeText`.
    func text(for client: BrokerReport.Client, rate: BrokerPaneState.Rate?, now: Double) -> String {
        switch self {
        case .clientID: SafeText.line(client.clientID, maxCharacters: 200)
        case .user: client.username.map { SafeText.line($0, maxCharacters: 100) } ?? "-"
        case .address: SafeText.line(client.remoteAddress, maxCharacters: 100)
        case .version: client.version.description
        case .keepAlive: client.keepAlive == 0 ? "-" : "\(client.keepAlive)s"
        case .subscriptions: Format.count(client.subscriptions)
        case .queued: Format.count(client.queued)
        case .inflight: Format.count(client.inflight)
        case .rateIn: rate.map { Self.rate($0.received) } ?? "-"
        case .rateOut: rate.map { Self.rate($0.sent) } ?? "-"
        case .since: Format.age(now - client.connectedAt)
        }
    }

    private static func rate(_ value: Double) -> String {
        value < 10_000 ? String(Int(value.rounded())) : Format.count(Int(value.rounded()))
    }

    /// Writes `text` into the column: numbers to the right, text to the left; text cut to the width ends in "…".
    func write(_ text: String, x: Int, width: Int, y: Int, buffer: inout Buffer, style: Style) {
        guard width > 0 else { return }
        let used = DisplayWidth.of(text)
        if used > width && width > 1 {
            let kept = buffer.write(text, x: x, y: y, style: style, maxWidth: width - 1)
            buffer.write("…", x: x + kept, y: y, style: style)
            return
        }
        let start = isNumber && used < width ? x + width - used : x
        buffer.write(text, x: start, y: y, style: style, maxWidth: width)
    }
}
