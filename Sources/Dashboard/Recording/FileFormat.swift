/// Texts for files the dashboard writes (recordings, exports), without Foundation.
extension Format {
    /// `20261203-091200` in UTC (like the log's clock), for default file names that sort by time.
    static func fileStamp(_ time: Double) -> String {
        guard abs(time) < 1e15 else { return "00000000-000000" }
        let seconds = Int(time.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        return String(year) + two(month) + two(day) + "-" + two(second / 3600) + two(second / 60 % 60) + two(second % 60)
    }

    /// "812 B", "4.5 kB", "12.3 MB": sizes for the status bar (powers of 1000, short).
    static func bytes(_ value: Int64) -> String {
        if value < 1000 { return "\(max(0, value)) B" }
        let units = ["kB", "MB", "GB", "TB"]
        var scaled = Double(value) / 1000
        var unit = 0
        while scaled >= 1000, unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        let tenths = Int((scaled * 10).rounded())
        return (tenths >= 1000 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)") + " " + units[unit]
    }

    /// Year, month and day of a day count from 1970-01-01 (proleptic Gregorian calendar, eras of 400 years).
    static func civilDate(daysSince1970: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSince1970 + 719_468  // days from 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // March = 0
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
