import BenchSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One row of the results table.
struct BenchResult {
    var name: String
    /// Operations per second (packets or topics) of wall time on the monotonic clock.
    var rate: Double
    /// Operations per second of this thread's CPU time: on a shared machine it leaves out the time
    /// other processes held the core, so it is the steadier figure when the load is high.
    var cpuRate: Double
    var unit: String
    /// Payload bytes per operation, for rows where throughput is the point.
    var payloadBytes: Int?
}

/// CPU time this thread has used, in seconds.
func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// Times `body` on a monotonic clock: one warm-up round, then `rounds` measured ones; the median round wins,
/// so one noisy round on a shared machine does not decide the figure.
func measure(_ name: String, unit: String, operations: Int, rounds: Int = 5, payloadBytes: Int? = nil, _ body: () -> Void) -> BenchResult {
    let clock = ContinuousClock()
    body()
    var wall: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<rounds {
        let cpuStart = threadCPUTime()
        let elapsed = clock.measure(body)
        cpu.append(threadCPUTime() - cpuStart)
        wall.append(seconds(elapsed))
    }
    let medianWall = wall.sorted()[rounds / 2]
    let medianCPU = cpu.sorted()[rounds / 2]
    return BenchResult(
        name: name, rate: Double(operations) / medianWall, cpuRate: Double(operations) / medianCPU, unit: unit,
        payloadBytes: payloadBytes)
}

/// A Markdown table, so the output can go into BENCHMARKS.md as it is.
func printTable(_ results: [BenchResult]) {
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    func lpad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    let nameWidth = max(10, results.map(\.name.count).max() ?? 0)
    let columns = [("wall rate", 18), ("CPU-time rate", 18), ("GB/s wall", 9), ("GB/s CPU", 8)]
    print("| " + pad("benchmark", nameWidth) + " | " + columns.map { lpad($0.0, $0.1) }.joined(separator: " | ") + " |")
    print("|-" + String(repeating: "-", count: nameWidth) + "-|" + columns.map { String(repeating: "-", count: $0.1 + 1) + ":" }.joined(separator: "|") + "|")
    for result in results {
        let cells = [
            fixed(result.rate / 1e6, 2) + " M " + result.unit + "/s",
            fixed(result.cpuRate / 1e6, 2) + " M " + result.unit + "/s",
            result.payloadBytes.map { fixed(Double($0) * result.rate / 1e9, 2) } ?? "",
            result.payloadBytes.map { fixed(Double($0) * result.cpuRate / 1e9, 2) } ?? "",
        ]
        print("| " + pad(result.name, nameWidth) + " | " + zip(cells, columns).map { lpad($0, $1.1) }.joined(separator: " | ") + " |")
    }
}
