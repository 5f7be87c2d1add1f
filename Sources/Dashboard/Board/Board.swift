/// One tile of a board: a topic, or one field of its (decoded) payload, with the rules that watch it.
public struct BoardTile: Sendable, Equatable {
    public var topic: String
    /// A JSON path, or a decoder's field; nil shows the payload itself.
    public var field: String?
    public var unit: String?
    public var conditions: [AlertCondition]
    public var damping: AlertDamping
    /// Grid columns the tile takes (1...`BoardTile.maximumSpan`).
    public var span: Int
    /// More topics (or fields) plotted with this one on the same time axis; the tile's rules watch only its own.
    public var series: [TileKey]

    public static let maximumSpan = 3

    public init(topic: String, field: String? = nil, unit: String? = nil, conditions: [AlertCondition] = [],
                damping: AlertDamping = AlertDamping(), span: Int = 1, series: [TileKey] = []) {
        self.topic = topic
        self.field = field
        self.unit = unit
        self.conditions = conditions
        self.damping = damping
        self.span = min(Self.maximumSpan, max(1, span))
        self.series = series
    }

    /// What the tile's live figures and alerts are kept under: the same topic and field share them.
    public var key: TileKey { TileKey(topic: topic, field: field) }

    /// The tile's title: the topic, and the field after it.
    public var name: String { key.name }

    /// Its own series first, then the others it plots.
    public var plotted: [TileKey] { [key] + series }
}

public struct TileKey: Hashable, Sendable {
    public var topic: String
    public var field: String?

    public init(topic: String, field: String? = nil) {
        self.topic = topic
        self.field = field
    }

    /// The topic, and the field after it.
    public var name: String { field.map { topic + " " + $0 } ?? topic }
}

/// A named board: its tiles in order and what a firing rule does besides turning its tile red.
public struct Board: Sendable, Equatable {
    public var name: String
    public var tiles: [BoardTile]
    /// Ring the terminal bell once per alert.
    public var bell: Bool
    /// `on_alert`: a command (no shell) with `{topic}`, `{value}` and `{condition}` replaced.
    public var onAlert: [String]
    /// `alert_topic`: where each alert is published as JSON.
    public var alertTopic: String?

    public init(name: String, tiles: [BoardTile] = [], bell: Bool = true, onAlert: [String] = [], alertTopic: String? = nil) {
        self.name = name
        self.tiles = tiles
        self.bell = bell
        self.onAlert = onAlert
        self.alertTopic = alertTopic
    }

    /// The rules `mqdash watch --board` runs: one per tile condition, on the tile's topic and field.
    public var alertRules: [AlertRule] {
        tiles.flatMap { tile in
            tile.conditions.map { AlertRule(filter: tile.topic, field: tile.field, condition: $0, damping: tile.damping) }
        }
    }
}

/// Every board of the boards file, in file order, and where that file is.
public struct BoardBook: Sendable, Equatable {
    public var boards: [Board]
    /// Where `P` and the tile keys save; nil when there is no config directory (nothing is saved).
    public var path: String?

    public init(boards: [Board] = [], path: String? = nil) {
        self.boards = boards
        self.path = path
    }

    public func board(named name: String) -> Board? { boards.first { $0.name == name } }
}
