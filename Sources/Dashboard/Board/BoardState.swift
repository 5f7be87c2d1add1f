/// The watch board (`W`): the boards of the boards file, the one shown, its tiles' live figures, and the
/// alerts its rules raised. Part of `DashboardState`; changed only through `update`.
public struct BoardState: Sendable {
    public internal(set) var book = BoardBook()
    /// The board `W` shows and whose rules run; an index into `book.boards`.
    public internal(set) var current = 0
    public internal(set) var isOpen = false
    public internal(set) var selectedTile = 0
    /// An index into `TileSeries.windows`; 10 minutes at first.
    public internal(set) var window = 1
    /// Figures per tile key of the current board.
    public internal(set) var live: [TileKey: TileLive] = [:]
    /// The current board's tile keys per topic: the per-message path looks up only this.
    var tilesByTopic: [String: [TileKey]] = [:]
    var watches: [BoardWatch] = []
    /// Set when the tiles or rules change: the next tick rebuilds the watches on its clock.
    var watchesStale = true
    public internal(set) var alerts = AlertLog()
    /// `!`: the alerts pane.
    public internal(set) var alertsOpen = false
    public internal(set) var selectedAlert = 0
    /// Last stamp given to a tile's figures: a new one per change, never reused, so that a drawn plot kept
    /// under it (`RenderCache`) is known to be current even when a tile's figures are dropped and rebuilt.
    private(set) var lastStamp = 0
    /// The tiles' plots of the last frames (see `TilePlotCache`).
    var plotCache = TilePlotCache()

    public init() {}

    /// Notes a reading in the figures of `key` under a new stamp.
    mutating func note(_ reading: (text: String, number: Double?, alertBytes: [UInt8]), at time: Double, for key: TileKey) {
        lastStamp += 1
        live[key, default: TileLive()].note(reading, at: time, stamp: lastStamp)
    }

    public var board: Board? { book.boards.indices.contains(current) ? book.boards[current] : nil }

    /// Whether a firing, unacknowledged alert of this tile turns it red.
    public func isAlerting(_ tile: BoardTile) -> Bool { alerts.isActive(tile.key) }
}

/// What a tile shows: the last value and when it came, and the values over the plot windows.
public struct TileLive: Sendable {
    public var lastText: String?
    public var lastNumber: Double?
    public var lastTime: Double?
    public var count = 0
    public var series = TileSeries()
    /// Changes with every reading (see `BoardState.lastStamp`).
    public internal(set) var stamp = 0

    mutating func note(_ reading: (text: String, number: Double?, alertBytes: [UInt8]), at time: Double, stamp: Int) {
        self.stamp = stamp
        lastText = reading.text
        lastNumber = reading.number
        lastTime = time
        count += 1
        if let number = reading.number { series.record(number, at: time) }
    }
}

/// One rule of one tile, running.
struct BoardWatch: Sendable {
    var key: TileKey
    var watch: AlertWatch
}

/// One alert as the pane lists it.
public struct BoardAlert: Sendable, Equatable {
    public var key: TileKey
    public var value: String
    public var condition: AlertCondition
    public var time: Double
    /// When it cleared; nil while it fires. A `changed` alert fires and never clears: it stays until acknowledged.
    public var clearedAt: Double?
    public var acknowledged = false
}

/// The alerts of the session, newest last, at most `capacity`.
public struct AlertLog: Sendable {
    public static let capacity = 500
    public internal(set) var entries: [BoardAlert] = []

    func isActive(_ key: TileKey) -> Bool {
        entries.contains { $0.key == key && $0.clearedAt == nil && !$0.acknowledged }
    }

    mutating func fired(_ alert: BoardAlert) {
        entries.append(alert)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    mutating func cleared(_ key: TileKey, condition: AlertCondition, at time: Double) {
        guard let index = entries.lastIndex(where: { $0.key == key && $0.condition == condition && $0.clearedAt == nil }) else { return }
        entries[index].clearedAt = time
    }

    mutating func acknowledge(_ index: Int) {
        guard entries.indices.contains(index) else { return }
        entries[index].acknowledged = true
    }
}
