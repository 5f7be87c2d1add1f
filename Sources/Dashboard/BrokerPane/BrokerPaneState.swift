/// `B` in `mqdash --broker`: the broker pane's selection and scroll, the last report and the per-client
/// rates worked out from the last two reports.
public struct BrokerPaneState: Sendable, Equatable {
    public internal(set) var isOpen = false
    /// Index into the report's clients.
    public internal(set) var selected = 0
    /// First client row on screen.
    public internal(set) var scroll = 0
    public internal(set) var report: BrokerReport?
    /// Messages per second in and out, by connection (see `BrokerReport.Client.connection`).
    public internal(set) var rates: [Int: Rate] = [:]
    /// Tab moves the keys between the clients and the bridges (when there are any).
    public internal(set) var bridgesFocused = false
    /// Index into the report's bridges.
    public internal(set) var selectedBridge = 0
    /// Messages per second forwarded to the remote, by bridge name.
    public internal(set) var bridgeRates: [String: Double] = [:]

    public var selectedBridgeReport: BrokerReport.Bridge? {
        guard let bridges = report?.bridges, bridges.indices.contains(selectedBridge) else { return nil }
        return bridges[selectedBridge]
    }

    public struct Rate: Sendable, Equatable {
        public var received: Double
        public var sent: Double
    }

    public var selectedClient: BrokerReport.Client? {
        guard let clients = report?.clients, clients.indices.contains(selected) else { return nil }
        return clients[selected]
    }

    /// A new report: rates from the counters' growth since the previous one, for connections in both; the
    /// selection stays on the same connection when it is still there.
    mutating func receive(_ next: BrokerReport) {
        let selectedConnection = selectedClient?.connection
        var rates: [Int: Rate] = [:]
        if let previous = report, next.takenAt > previous.takenAt {
            let elapsed = next.takenAt - previous.takenAt
            let before = Dictionary(previous.clients.map { ($0.connection, $0) }, uniquingKeysWith: { first, _ in first })
            for client in next.clients {
                guard let old = before[client.connection] else { continue }
                rates[client.connection] = Rate(received: Self.growth(old.messagesReceived, client.messagesReceived) / elapsed,
                                                sent: Self.growth(old.messagesSent, client.messagesSent) / elapsed)
            }
        }
        self.rates = rates
        var bridgeRates: [String: Double] = [:]
        if let previous = report, next.takenAt > previous.takenAt {
            let before = Dictionary(previous.bridges.map { ($0.name, $0.forwarded) }, uniquingKeysWith: { first, _ in first })
            for bridge in next.bridges {
                guard let old = before[bridge.name] else { continue }
                bridgeRates[bridge.name] = Self.growth(old, bridge.forwarded) / (next.takenAt - previous.takenAt)
            }
        }
        self.bridgeRates = bridgeRates
        report = next
        selectedBridge = min(selectedBridge, max(0, next.bridges.count - 1))
        if next.bridges.isEmpty { bridgesFocused = false }
        if let selectedConnection, let index = next.clients.firstIndex(where: { $0.connection == selectedConnection }) {
            selected = index
        } else {
            selected = min(selected, max(0, next.clients.count - 1))
        }
    }

    private static func growth(_ old: UInt64, _ new: UInt64) -> Double {
        new >= old ? Double(new - old) : 0
    }

    mutating func toggleFocus() {
        bridgesFocused = !bridgesFocused && !(report?.bridges.isEmpty ?? true)
    }

    mutating func moveBridge(by delta: Int) {
        let count = report?.bridges.count ?? 0
        guard count > 0 else { return }
        selectedBridge = max(0, min(count - 1, selectedBridge + delta))
    }

    /// Moves the selection, keeping it inside the `rows` lines the list shows.
    mutating func move(by delta: Int, rows: Int) {
        let count = report?.clients.count ?? 0
        guard count > 0 else { return }
        selected = max(0, min(count - 1, selected + delta))
        scroll = Self.scroll(keeping: selected, visibleIn: rows, from: scroll, count: count)
    }

    /// The first row to show so that `selected` is on screen, moving as little as possible.
    static func scroll(keeping selected: Int, visibleIn rows: Int, from scroll: Int, count: Int) -> Int {
        let rows = max(1, rows)
        var first = min(scroll, selected)
        if selected >= first + rows { first = selected - rows + 1 }
        return max(0, min(first, max(0, count - rows)))
    }
}
