/// Rules as words, the way boards.toml writes them and `mqdash watch`'s flags mean them:
/// `above 30`, `below 10`, `outside 18..26`, `changed`, `equals ON`, `silent for 5m`, `rate above 20`.
public enum AlertWords {
    /// The condition these words name; nil when they name none.
    public static func condition(_ text: String) -> AlertCondition? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first else { return nil }
        let rest = Array(words.dropFirst())
        switch (first, rest.count) {
        case ("above", 1): return Double(rest[0]).map(AlertCondition.above)
        case ("below", 1): return Double(rest[0]).map(AlertCondition.below)
        case ("outside", 1): return range(rest[0])
        case ("changed", 0): return .changed
        case ("silent", 2) where rest[0] == "for":
            return seconds(rest[1]).flatMap { $0 > 0 ? AlertCondition.silent(seconds: $0) : nil }
        case ("rate", 2) where rest[0] == "above":
            return Double(rest[1].hasSuffix("/s") ? String(rest[1].dropLast(2)) : rest[1]).map(AlertCondition.rateAbove)
        default:
            // `equals` keeps the rest as written, spaces included.
            guard first == "equals", !rest.isEmpty else { return nil }
            return .equals(String(text.drop { $0 == " " }.dropFirst("equals".count).drop { $0 == " " }))
        }
    }

    /// What `condition` answers to in an error message.
    public static let expected = "above X, below X, outside A..B, changed, equals V, silent for DURATION, rate above N"

    /// `18..26`: nil unless both bounds are numbers, low first.
    public static func range(_ text: String) -> AlertCondition? {
        let characters = Array(text)
        guard let dots = characters.indices.first(where: { $0 + 1 < characters.count && characters[$0] == "." && characters[$0 + 1] == "." }),
              let low = Double(String(characters[..<dots])), let high = Double(String(characters[(dots + 2)...])), low <= high
        else { return nil }
        return .outside(low, high)
    }

    /// A duration: seconds (`90`, `1.5`) or with a unit (`500ms`, `90s`, `5m`, `2h`).
    public static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) && Double(text.dropLast($0.suffix.count)) != nil }
        guard let number = Double(unit.map { String(text.dropLast($0.suffix.count)) } ?? text), number.isFinite, number >= 0
        else { return nil }
        return number * (unit?.seconds ?? 1)
    }
}
