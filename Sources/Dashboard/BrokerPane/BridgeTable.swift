/// The broker's bridges, one per row below the clients: state, remote, what waits for it, the forwarding
/// rate, drops, and why it is down (with the next attempt). Highlighted while Tab has moved the keys here.
struct BridgeTable: Widget {
    var pane: BrokerPaneState
    var now: Double

    /// Lines the section takes for `count` bridges: a heading and at most four rows (the clients need the room).
    static func height(bridges count: Int) -> Int {
        count == 0 ? 0 : 1 + min(count, 4)
    }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.height >= 1, let bridges = pane.report?.bridges, !bridges.isEmpty else { return }
        let heading = pane.bridgesFocused ? "bridges (r restart, Tab clients)" : "bridges (Tab to select)"
        buffer.write(" " + heading, x: area.x, y: area.y, style: theme.style(.formLabel), maxWidth: area.width)
        let rows = area.height - 1
        guard rows > 0 else { return }
        let first = BrokerPaneState.scroll(keeping: pane.selectedBridge, visibleIn: rows, from: 0, count: bridges.count)
        for (line, index) in (first..<min(bridges.count, first + rows)).enumerated() {
            let y = area.y + 1 + line
            let selected = pane.bridgesFocused && index == pane.selectedBridge
            let style = theme.style(selected ? .selection : .text)
            if selected { buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: style) }
            buffer.write(" " + describe(bridges[index]), x: area.x, y: y, style: style, maxWidth: area.width)
        }
    }

    private func describe(_ bridge: BrokerReport.Bridge) -> String {
        let name = SafeText.line(bridge.name, maxCharacters: 24)
        var parts = [name, bridge.isUp ? "up" : "DOWN", SafeText.line(bridge.address, maxCharacters: 40),
                     "queued \(Format.count(bridge.queued))"]
        if let rate = pane.bridgeRates[bridge.name] { parts.append("\(Format.count(Int(rate.rounded())))/s") }
        parts.append("fwd \(BrokerPaneView.count(bridge.forwarded)) in \(BrokerPaneView.count(bridge.received))")
        if bridge.dropped > 0 { parts.append("dropped \(BrokerPaneView.count(bridge.dropped))") }
        if !bridge.isUp {
            if let retryAt = bridge.retryAt { parts.append("retry in \(max(0, Int((retryAt - now).rounded(.up)))) s") }
            if let error = bridge.lastError { parts.append(SafeText.line(error, maxCharacters: 80)) }
        }
        return parts.joined(separator: "  ")
    }
}
