/// `T`: the traffic ranking over the panes, its window, sort and selected row.
public struct TrafficViewState: Sendable {
    public internal(set) var isOpen = false
    public internal(set) var window = TrafficWindow.tenSeconds
    public internal(set) var measure = TrafficMeasure.messages
    /// Selected row of the ranking; the view keeps it on screen.
    public internal(set) var selected = 0
    /// Taken only while open (see `TrafficSnapshots`).
    public internal(set) var snapshots = TrafficSnapshots()

    public init() {}
}

extension DashboardState {
    /// The ranking as the view shows it now.
    public var trafficRanking: TrafficRanking {
        TrafficRanking(tree: tree, baseline: traffic.snapshots.baseline(for: traffic.window, now: now), now: now,
                       by: traffic.measure, includeSystem: settings.showSystemTopics)
    }
}
