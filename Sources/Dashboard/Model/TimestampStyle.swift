/// `t`: how the tree and the log show times. Until the first `t`, each pane keeps its own: the tree
/// the age of the newest message, the log the clock.
public enum TimestampStyle: String, Sendable, CaseIterable {
    case clock, clockMillis, age

    public var next: TimestampStyle {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    public var name: String {
        switch self {
        case .clock: "clock"
        case .clockMillis: "clock with ms"
        case .age: "age"
        }
    }

    /// `time` (seconds since 1970) in this style; `now` for the age.
    func text(_ time: Double, now: Double) -> String {
        switch self {
        case .clock: Format.clock(time)
        case .clockMillis: Format.clockMillis(time)
        case .age: Format.age(now - time)
        }
    }
}
