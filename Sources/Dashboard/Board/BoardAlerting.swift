import MQTTCore
import PayloadDecoders

/// The board's per-message and per-tick path: tile figures, the rules of the current board, and what a
/// firing rule asks the app to do (bell, command, publish).
extension DashboardState {
    /// Loads the boards file's boards (at start); `show` opens the board of that name.
    public mutating func loadBoards(_ book: BoardBook, show name: String? = nil) {
        board.book = book
        board.current = name.flatMap { name in book.boards.firstIndex { $0.name == name } } ?? 0
        board.isOpen = name != nil
        boardTilesChanged()
    }

    /// After a change of the current board's tiles: index them by topic, keep the figures of the ones
    /// still there, and rebuild the rules at the next tick.
    mutating func boardTilesChanged() {
        let tiles = board.board?.tiles ?? []
        var byTopic: [String: [TileKey]] = [:]
        for key in tiles.flatMap(\.plotted) where !(byTopic[key.topic]?.contains(key) ?? false) {
            byTopic[key.topic, default: []].append(key)
        }
        board.tilesByTopic = byTopic
        let keys = Set(tiles.flatMap(\.plotted))
        board.live = board.live.filter { keys.contains($0.key) }
        // A new tile starts from what the tree already holds of its topic (a retained value, the history).
        for key in keys where board.live[key] == nil {
            guard let id = tree.node(key.topic) else { continue }
            for message in tree.history(of: id) { board.note(tileReading(message, field: key.field), at: message.receivedAt, for: key) }
        }
        board.selectedTile = min(board.selectedTile, max(0, tiles.count - 1))
        board.watchesStale = true
    }

    /// A message for a pinned topic updates its tiles and runs their rules.
    mutating func applyToBoard(_ message: ReceivedMessage) -> [DashboardCommand] {
        guard let keys = board.tilesByTopic[message.topic] else { return [] }
        var commands: [DashboardCommand] = []
        for key in keys {
            let reading = tileReading(message, field: key.field)
            board.note(reading, at: message.receivedAt, for: key)
            for index in board.watches.indices where board.watches[index].key == key {
                let events = board.watches[index].watch.received(topic: message.topic, payload: reading.alertBytes, at: message.receivedAt)
                commands += noteAlerts(events, key: key)
            }
        }
        return commands
    }

    /// Silence and rates change with time alone; the first tick also starts the rules on the real clock.
    mutating func tickBoard() -> [DashboardCommand] {
        if board.watchesStale { rebuildWatches() }
        var commands: [DashboardCommand] = []
        for index in board.watches.indices {
            let events = board.watches[index].watch.tick(at: now)
            commands += noteAlerts(events, key: board.watches[index].key)
        }
        return commands
    }

    /// One watch per tile rule, the ones whose tile and rule are unchanged kept with their state.
    private mutating func rebuildWatches() {
        var kept: [String: AlertWatch] = [:]
        for watch in board.watches { kept[Self.watchName(watch.key, watch.watch.rule.condition)] = watch.watch }
        board.watches = (board.board?.tiles ?? []).flatMap { tile in
            tile.conditions.map { condition in
                // The value is handed over already read (decoded, at its field): the rule itself reads no field.
                let rule = AlertRule(filter: tile.topic, condition: condition, damping: tile.damping)
                let old = kept[Self.watchName(tile.key, condition)]
                return BoardWatch(key: tile.key, watch: old?.rule == rule ? old! : AlertWatch(rule: rule, start: now))
            }
        }
        board.watchesStale = false
    }

    private static func watchName(_ key: TileKey, _ condition: AlertCondition) -> String {
        key.topic + "\u{0}" + (key.field ?? "") + "\u{0}" + condition.description
    }

    /// The tile's value of a message: through the topic's decoder when it shows with one, at the tile's field.
    func tileReading(_ message: ReceivedMessage, field: String?) -> (text: String, number: Double?, alertBytes: [UInt8]) {
        let number: Double?
        if let decoded = decoded(message) {
            number = DecodedPlot.number(decoded, field: field)
            if number == nil && field == nil {
                let text = SafeText.line(decoded.previewText, maxCharacters: 200)
                return (text, nil, Array(text.utf8))
            }
        } else {
            number = NumericValue.extract(from: message.payload.readableBytesView, field: field)
        }
        if let number {
            let text = BraillePlot.format(number)
            return (text, number, Array(AlertCondition.format(number).utf8))
        }
        let text = SafeText.line(message.payload.readableBytesView.prefix(512), maxCharacters: 200)
        // A field that is not a number says nothing to the rules; the whole payload does (`equals ON`).
        return (text, nil, field == nil ? Array(message.payload.readableBytesView.prefix(4096)) : [])
    }

    /// Alerts into the log, and the bell, command and publish the board asks for on each one that fires.
    private mutating func noteAlerts(_ events: [AlertEvent], key: TileKey) -> [DashboardCommand] {
        var commands: [DashboardCommand] = []
        for event in events {
            switch event.kind {
            case .cleared:
                board.alerts.cleared(key, condition: event.condition, at: event.time)
            case .fired:
                if event.condition == .changed, board.alerts.isActive(key) { continue }
                board.alerts.fired(BoardAlert(key: key, value: event.value, condition: event.condition, time: event.time))
                commands += alertCommands(event, key: key)
            }
        }
        return commands
    }

    private func alertCommands(_ event: AlertEvent, key: TileKey) -> [DashboardCommand] {
        guard let current = board.board else { return [] }
        var commands: [DashboardCommand] = []
        if current.bell { commands.append(.ringBell) }
        let fields = ["{topic}": key.topic, "{field}": key.field ?? "", "{value}": event.value,
                      "{condition}": event.condition.description]
        if !current.onAlert.isEmpty {
            commands.append(.runAlertCommand(current.onAlert.map { Self.filling(placeholders: fields, in: $0) }))
        }
        if let topic = current.alertTopic {
            let json = "{\"topic\":" + BoardFile.quoted(key.topic) + ",\"field\":" + (key.field.map(BoardFile.quoted) ?? "null")
                + ",\"value\":" + BoardFile.quoted(event.value) + ",\"condition\":" + BoardFile.quoted(event.condition.description) + "}"
            commands.append(.publish(topic: topic, payload: Array(json.utf8), qos: .atMostOnce, retain: false, properties: []))
        }
        return commands
    }

    /// What `on_alert`'s words may hold, filled from the alert (network data, so never in the first word).
    static let alertPlaceholders = ["{topic}", "{field}", "{value}", "{condition}"]

    /// `word` with each placeholder replaced in one pass from left to right: a value that itself holds
    /// `{topic}` (it comes from the network) stays as it came instead of being expanded again.
    static func filling(placeholders: [String: String], in word: String) -> String {
        var filled = ""
        var rest = word[...]
        while let open = rest.firstIndex(of: "{") {
            filled += rest[..<open]
            rest = rest[open...]
            if let (name, value) = placeholders.first(where: { rest.hasPrefix($0.key) }) {
                filled += value
                rest = rest.dropFirst(name.count)
            } else {
                filled.append("{")
                rest = rest.dropFirst()
            }
        }
        return filled + rest
    }
}
