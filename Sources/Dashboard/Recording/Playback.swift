/// `mqdash open FILE --play`: where the player stands in the recording, as the app reports it.
public struct PlaybackStatus: Sendable, Hashable {
    /// Times in the recording, seconds since 1970.
    public var start: Double
    public var end: Double
    public var position: Double
    public var speed: Double
    public var paused: Bool
    /// The last message has been played.
    public var finished: Bool

    public init(start: Double, end: Double, position: Double, speed: Double = 1, paused: Bool = false, finished: Bool = false) {
        self.start = start
        self.end = end
        self.position = position
        self.speed = speed
        self.paused = paused
        self.finished = finished
    }
}

/// What the playback keys ask the player to do.
public enum PlaybackControl: Sendable, Hashable {
    case togglePause
    /// Multiply the speed by this (`]` 2, `[` 0.5).
    case scaleSpeed(Double)
    /// Move this many seconds in the recording (`}` +10, `{` -10).
    case jump(seconds: Double)
}

extension DashboardState {
    /// Space, `[` `]`, `{` `}` while a recording plays; nil for the other keys (and when nothing plays).
    mutating func handlePlaybackKey(_ key: Key) -> [DashboardCommand]? {
        guard playback != nil else { return nil }
        switch key {
        case .character(" "): return [.playback(.togglePause)]
        case .character("["): return [.playback(.scaleSpeed(0.5))]
        case .character("]"): return [.playback(.scaleSpeed(2))]
        case .character("{"): return [.playback(.jump(seconds: -10))]
        case .character("}"): return [.playback(.jump(seconds: 10))]
        default: return nil
        }
    }
}

extension StatusBar {
    /// `▶ 2× 00:12 / 01:00`: the state, the speed and the position in the recording's time range.
    static func playbackText(_ status: PlaybackStatus) -> String {
        let mark = status.finished ? "■" : (status.paused ? "⏸" : "▶")
        let speed = status.speed >= 1 ? BraillePlot.format(status.speed) + "×" : "1/" + BraillePlot.format(1 / status.speed) + "×"
        return " " + mark + " " + speed + " " + duration(status.position - status.start) + " / " + duration(status.end - status.start) + " "
    }

    /// `MM:SS`, or `H:MM:SS` past an hour.
    static func duration(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        if total >= 3600 { return "\(total / 3600):" + two(total / 60 % 60) + ":" + two(total % 60) }
        return two(total / 60) + ":" + two(total % 60)
    }
}
