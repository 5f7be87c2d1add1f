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
