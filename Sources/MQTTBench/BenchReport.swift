import Foundation
import Histogram

/// Percentiles of one latency histogram, in microseconds.
struct LatencySummary: Codable, Equatable, Sendable {
    var count: UInt64
    var p50: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64
    var mean: Double

    /// nil when nothing was recorded.
    init?(_ histogram: LatencyHistogram) {
        guard histogram.totalCount > 0 else { return nil }
        count = histogram.totalCount
        p50 = histogram.valueAtPercentile(50)
        p99 = histogram.valueAtPercentile(99)
        p999 = histogram.valueAtPercentile(99.9)
        max = histogram.max
        mean = (histogram.mean * 10).rounded() / 10
    }

    init(count: UInt64, p50: UInt64, p99: UInt64, p999: UInt64, max: UInt64, mean: Double) {
        (self.count, self.p50, self.p99, self.p999, self.max, self.mean) = (count, p50, p99, p999, max, mean)
    }

    enum CodingKeys: String, CodingKey {
        case count, p50 = "p50_us", p99 = "p99_us", p999 = "p99_9_us", max = "max_us", mean = "mean_us"
    }

    /// `p50 0.412 ms  p99 1.210 ms  p99.9 2.003 ms  max 3.100 ms`
    var text: String {
        "p50 \(BenchFormat.milliseconds(p50))  p99 \(BenchFormat.milliseconds(p99))  p99.9 \(BenchFormat.milliseconds(p999))  max \(BenchFormat.milliseconds(max))"
    }
}

/// Number formatting shared by the per-second lines and the summaries.
public enum BenchFormat {
    /// Microseconds as milliseconds with three decimals: `412` -> `0.412 ms`.
    static func milliseconds(_ microseconds: UInt64) -> String {
        "\(microseconds / 1000).\(pad3(microseconds % 1000)) ms"
    }

    /// Events per second over `seconds`, rounded to a whole number.
    static func perSecond(_ count: UInt64, seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        return UInt64((Double(count) / seconds).rounded())
    }

    /// Seconds with one decimal: `10.0 s`.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// `[  3s]`: the second of the run, right-aligned so columns line up.
    static func secondLabel(_ second: Int) -> String {
        let text = String(second)
        return "[" + String(repeating: " ", count: Swift.max(0, 4 - text.count)) + text + "s]"
    }

    static func bytes(_ size: Int) -> String { "\(size) B" }

    static func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    private static func pad3(_ value: UInt64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }

    /// A one-line JSON object, keys sorted, for scripts.
    public static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
