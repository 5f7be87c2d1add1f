/// How far back the traffic view (`T`) measures; `w` cycles.
public enum TrafficWindow: Int, Sendable, CaseIterable {
    case tenSeconds = 10
    case oneMinute = 60
    case fiveMinutes = 300

    public var seconds: Double { Double(rawValue) }

    public var name: String {
        switch self {
        case .tenSeconds: "10 s"
        case .oneMinute: "1 min"
        case .fiveMinutes: "5 min"
        }
    }

    public var next: TrafficWindow {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the ranking sorts by; `b` toggles.
public enum TrafficMeasure: String, Sendable {
    case messages, bytes
}
