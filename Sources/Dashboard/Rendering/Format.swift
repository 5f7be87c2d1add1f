/// Short texts for numbers and times, without Foundation (the Dashboard target does not link it).
enum Format {
    /// "12", "12.3k", "4.5M": counts that fit a narrow column.
    static func count(_ value: Int) -> String {
        if value < 10_000 { return String(value) }
        if value < 1_000_000 { return decimal(Double(value) / 1_000) + "k" }
        return decimal(Double(value) / 1_000_000) + "M"
    }

    /// A rate per second with at most one decimal.
    static func rate(_ value: Double) -> String {
        if value < 10_000 { return String(Int(value.rounded())) + "/s" }
        return count(Int(value.rounded())) + "/s"
    }

    /// Time since an event: "4s", "12m", "3h", "2d".
    static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// "HH:MM:SS" in UTC; the log is about order and spacing, and UTC needs no time zone database.
    static func clock(_ time: Double) -> String {
        let seconds = ((Int(time.rounded(.down)) % 86_400) + 86_400) % 86_400
        return two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
    }

    /// "HH:MM:SS.mmm" in UTC, for telling apart messages of the same second.
    static func clockMillis(_ time: Double) -> String {
        let millis = Int((time * 1000).rounded(.down))
        let part = millis % 1000
        return clock(Double(millis / 1000)) + "." + (part < 10 ? "00" : part < 100 ? "0" : "") + String(part)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    private static func decimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths >= 1000 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    /// `text` padded with spaces (or cut) to exactly `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        let used = DisplayWidth.of(text)
        if used >= width { return text }
        return text + String(repeating: " ", count: width - used)
    }
}
