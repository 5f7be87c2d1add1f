/// The last row: connection state, broker, client id, protocol, rate, totals, topic count and key
/// hints; a prompt or a notice takes the place of the details while there is one.
struct StatusBar: Widget {
    var state: DashboardState

    static let hints = "? help  q quit"

    /// The keys worth knowing in the focused pane, shown when the screen is wide enough.
    static func paneHints(_ focus: PaneFocus) -> String {
        switch focus {
        case .tree: "/ search  p publish  S subs  Tab pane"
        case .log: "↑↓ scroll  End follow  f filter  Tab pane"
        case .detail: "v view  F plot field  Tab pane"
        }
    }

    /// `problem`: why the last connection ended, shown while reconnecting.
    static func connectionText(_ status: ConnectionStatus, now: Double, problem: String? = nil) -> String {
        switch status {
        case .connecting: "connecting"
        case .file: "file"
        case .connected: "connected"
        case .reconnecting(let at, _):
            "reconnecting in \(max(0, Int((at - now).rounded(.up)))) s"
                + (problem.map { ": " + SafeText.line($0, maxCharacters: 60) } ?? "")
        case .refused(let reason): "refused: " + SafeText.line(reason, maxCharacters: 60)
        case .disconnected(let reason): "disconnected: " + SafeText.line(reason, maxCharacters: 60)
        }
    }

    /// Broker, client id, protocol, rate, totals and topics; the client id and then the URL give way on narrow screens.
    private func details(fitting room: Int) -> String {
        let settings = state.settings
        let figures = [settings.isV5 ? "v5" : "v3.1.1", Format.rate(state.messagesPerSecond),
                       Format.count(state.tree.totalMessages) + " msgs", Format.count(state.tree.topicCount) + " topics"]
            + (state.skippedMessages > 0 ? [Format.count(state.skippedMessages) + " messages skipped"] : [])
        let candidates = [[settings.brokerURL, settings.clientID] + figures, [settings.brokerURL] + figures, figures]
        var text = ""
        for parts in candidates {
            text = parts.filter { !$0.isEmpty }.map { SafeText.line($0, maxCharacters: 80) }.joined(separator: "  ")
            if DisplayWidth.of(text) + 1 <= room { break }
        }
        return text
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let bar = theme.style(.statusBar)
        buffer.fill(area, style: bar)
        if let prompt = state.prompt {
            let used = buffer.write(prompt.label + SafeText.line(prompt.text), x: area.x, y: area.y, style: bar, maxWidth: area.width - 1)
            buffer.write("▏", x: area.x + used, y: area.y, style: bar)
            return
        }
        let connected = state.connection == .connected || state.connection == .file
        var x = area.x
        x += buffer.write(" " + Self.connectionText(state.connection, now: state.now, problem: state.lastConnectionProblem) + " ", x: x, y: area.y,
                          style: theme.style(connected ? .statusConnected : .statusProblem), maxWidth: area.width)
        for segment in Self.activitySegments(state) {
            x += buffer.write(segment, x: x, y: area.y, style: theme.style(.statusProblem), maxWidth: max(0, area.maxX - x))
        }
        // Pane hints only when they leave the details their room (about 60 columns).
        let hints = area.width >= 150 ? Self.paneHints(state.focus) + "  " + Self.hints : Self.hints
        let hintsWidth = DisplayWidth.of(hints) + 1
        let room = area.maxX - x - hintsWidth
        if let notice = state.notice {
            buffer.write(" " + notice, x: x, y: area.y, style: bar, maxWidth: max(0, room))
        } else {
            buffer.write(" " + details(fitting: room - 1), x: x, y: area.y, style: bar, maxWidth: max(0, room - 1))
        }
        if room >= 0 {
            buffer.write(hints, x: area.maxX - hintsWidth, y: area.y, style: bar)
        }
    }
}
