/// A duration as the watch flags take it: seconds (`90`, `1.5`) or with a unit (`500ms`, `90s`, `5m`, `2h`).
enum WatchDuration {
    static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) && Double(text.dropLast($0.suffix.count)) != nil }
        guard let number = Double(unit.map { String(text.dropLast($0.suffix.count)) } ?? text), number.isFinite, number >= 0
        else { return nil }
        return number * (unit?.seconds ?? 1)
    }
}
