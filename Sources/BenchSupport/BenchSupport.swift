// What the micro benchmarks (core-bench, dashboard-bench) share: keeping results alive, durations as
// seconds, and figures with fixed decimals for their Markdown tables. No Foundation, as in the benchmarks.

/// Keeps a value alive as far as the optimizer can tell, so the work that made it is not dropped.
@_optimize(none)
public func blackHole<T>(_ value: T) {}

/// A duration in seconds.
public func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// Formats `value` with exactly `decimals` digits after the point.
public func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = String(scaled / Int(scale))
    guard decimals > 0 else { return whole }
    let fraction = String(scaled % Int(scale))
    return whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
