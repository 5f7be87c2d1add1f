/// `T`: the traffic ranking over the panes, its window, sort and selected row.
public struct TrafficViewState: Sendable {
    public internal(set) var isOpen = false
    public internal(set) var window = TrafficWindow.tenSeconds
    public internal(set) var measure = TrafficMeasure.messages
    /// Selected row of the ranking; the view keeps it on screen.
    public internal(set) var selected = 0
    /// Taken only while open (see `TrafficSnapshots`).
    public internal(set) var snapshots = TrafficSnapshots()
    /// The last ranking computed; a reference so that the read-only `render` can fill it (see `RowCache`).
    var cache = TrafficRankingCache()

    public init() {}
}

extension DashboardState {
    /// The ranking as the view shows it now.
    public var trafficRanking: TrafficRanking {
        let newest = traffic.snapshots.snapshots.last
        let baseline = newest.flatMap { traffic.snapshots.baseline(for: traffic.window, now: $0.time) }
        let key = TrafficRankingCache.Key(newest: newest?.time, newestTotal: newest?.total, baseline: baseline?.time,
                                          measure: traffic.measure, includeSystem: settings.showSystemTopics)
        if traffic.cache.key == key, let ranking = traffic.cache.ranking { return ranking }
        let ranking = TrafficRanking(tree: tree, baseline: baseline, newest: newest, by: traffic.measure,
                                     includeSystem: settings.showSystemTopics)
        traffic.cache.key = key
        traffic.cache.ranking = ranking
        return ranking
    }
}

/// The ranking of the last frame, kept until the next snapshot (once a second) or a change of
/// measure: redraws in between cost the rows on screen only. Touched only by the state's thread.
final class TrafficRankingCache: @unchecked Sendable {
    struct Key: Equatable {
        var newest: Double?
        /// The messages counted at the newest snapshot, so that two copies of a state that took a snapshot
        /// at the same second with different traffic do not share a ranking.
        var newestTotal: Int?
        var baseline: Double?
        var measure: TrafficMeasure
        var includeSystem: Bool
    }

    var key: Key?
    var ranking: TrafficRanking?
}
