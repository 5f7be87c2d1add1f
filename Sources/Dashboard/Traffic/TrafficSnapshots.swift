/// The tree's per-topic counters copied about once a second while the traffic view is open: the
/// difference between now and a snapshot one window old is that window's traffic. Nothing is kept
/// per message (the tree's counters only grow), so a flood pays nothing for the view.
///
/// Older snapshots are thinned (every second for 10 s, every 5 s up to a minute, every 20 s up to
/// five), so at most ~40 are kept whatever the rate.
public struct TrafficSnapshots: Sendable {
    public struct Snapshot: Sendable {
        public var time: Double
        /// Indexed by node id; nodes added later count from zero.
        public var messages: [Int]
        public var bytes: [Int]
        /// Messages applied to the tree when it was taken.
        public var total: Int
    }

    public private(set) var snapshots: [Snapshot] = []

    public init() {}

    /// Takes a snapshot when the newest is at least a second old (or there is none).
    public mutating func observe(_ tree: TopicTree, now: Double) {
        if let newest = snapshots.last, now - newest.time < 1 { return }
        snapshots.append(Snapshot(time: now, messages: tree.nodes.map(\.count), bytes: tree.nodes.map(\.bytes), total: tree.totalMessages))
        thin(now: now)
    }

    public mutating func reset() { snapshots = [] }

    /// The snapshot to measure `window` from: the newest at least `window` old, else the oldest
    /// (the window is still filling; the view says so).
    public func baseline(for window: TrafficWindow, now: Double) -> Snapshot? {
        snapshots.last { now - $0.time >= window.seconds } ?? snapshots.first
    }

    private static func spacing(age: Double) -> Double {
        age <= 10 ? 1 : age <= 60 ? 5 : 20
    }

    private mutating func thin(now: Double) {
        let horizon = TrafficWindow.fiveMinutes.seconds + 20
        var kept: [Snapshot] = []
        for snapshot in snapshots where now - snapshot.time <= horizon {
            // Kept when far enough from the previous one kept for its age (a little slack for tick jitter).
            if let previous = kept.last, snapshot.time - previous.time < Self.spacing(age: now - snapshot.time) - 0.2 {
                // The newest always stays: it is the one the next second is measured against.
                if snapshot.time != snapshots.last?.time { continue }
            }
            kept.append(snapshot)
        }
        snapshots = kept
    }
}
