/// Keeps a value alive as far as the optimizer can tell, so the work that made it is not dropped.
@_optimize(none)
func blackHole<T>(_ value: T) {}

/// One row of the results table.
struct BenchResult {
    var name: String
    /// Operations per second (packets or topics).
    var rate: Double
    var unit: String
    /// Payload bytes per second, for rows where that is the point.
    var bytesPerSecond: Double?
}

/// Times `body` on a monotonic clock: one warm-up round, then `rounds` measured ones; the median round wins,
/// so one noisy round on a shared machine does not decide the figure.
func measure(_ name: String, unit: String, operations: Int, rounds: Int = 5, payloadBytes: Int? = nil, _ body: () -> Void) -> BenchResult {
    let clock = ContinuousClock()
    body()
    var seconds: [Double] = []
    for _ in 0..<rounds {
        let elapsed = clock.measure(body)
        seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    let median = seconds.sorted()[rounds / 2]
    let rate = Double(operations) / median
    return BenchResult(name: name, rate: rate, unit: unit, bytesPerSecond: payloadBytes.map { Double($0) * rate })
}

/// Formats `value` with exactly `decimals` digits after the point, without Foundation.
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = String(scaled / Int(scale))
    guard decimals > 0 else { return whole }
    let fraction = String(scaled % Int(scale))
    return whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

/// A Markdown table, so the output can go into BENCHMARKS.md as it is.
func printTable(_ results: [BenchResult]) {
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    func lpad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    let nameWidth = max(10, results.map(\.name.count).max() ?? 0)
    print("| " + pad("benchmark", nameWidth) + " | " + lpad("rate", 18) + " | " + lpad("payload GB/s", 12) + " |")
    print("|-" + String(repeating: "-", count: nameWidth) + "-|-" + String(repeating: "-", count: 18) + ":|-" + String(repeating: "-", count: 12) + ":|")
    for result in results {
        let rate = fixed(result.rate / 1e6, 2) + " M " + result.unit + "/s"
        let gigabytes = result.bytesPerSecond.map { fixed($0 / 1e9, 2) } ?? ""
        print("| " + pad(result.name, nameWidth) + " | " + lpad(rate, 18) + " | " + lpad(gigabytes, 12) + " |")
    }
}
