import NIOCore

/// Runs `bench conn`: opens idle connections at a rate, holds them, reports connect latency and failures.
public struct ConnRunner: Sendable {
    var target: BenchTarget
    var connections: Int
    var connectRate: Double
    /// Seconds to hold the connections once every attempt has ended.
    var hold: Double
    var printLine: @Sendable (String) -> Void

    public init(target: BenchTarget, connections: Int, connectRate: Double, hold: Double, printLine: @escaping @Sendable (String) -> Void) {
        self.target = target
        self.connections = connections
        self.connectRate = connectRate
        self.hold = hold
        self.printLine = printLine
    }

    public func run() async throws -> ConnResult {
        try FileDescriptorLimit.ensureRoom(for: connections)
        let fleet = try BenchFleet(target: target)
        let result = await run(fleet: fleet)
        await fleet.shutdown()
        return result
    }

    private func run(fleet: BenchFleet) async -> ConnResult {
        let plans = (0..<connections).map { BenchClientPlan(role: .idle(index: $0), clientID: "\(target.clientIDPrefix)-conn-\($0)") }
        let clockStart = ContinuousClock.now
        let start = BenchClock.nanoseconds()
        let opening = Task { await fleet.openAll(plans, rate: connectRate) }

        var total = BenchSample()
        var second = 0
        var holdEnd: ContinuousClock.Instant?
        // Report every second while opening, then while holding.
        while holdEnd.map({ ContinuousClock.now < $0 }) ?? true {
            second += 1
            // The last report comes when the hold ends, not at the next whole second.
            let nextReport = holdEnd.map { min($0, clockStart + .seconds(second)) } ?? clockStart + .seconds(second)
            while ContinuousClock.now < nextReport {
                try? await Task.sleep(until: min(ContinuousClock.now + .milliseconds(20), nextReport), clock: .continuous)
            }
            let sample = await fleet.collect()
            total.add(sample)
            var line = "\(BenchFormat.secondLabel(second))  connected \(total.connected - total.dropped)/\(connections)  failed \(total.failed)"
            if total.dropped > 0 { line += "  dropped \(total.dropped)" }
            if let latency = LatencySummary(sample.connectLatency) { line += "  connect " + latency.text }
            printLine(line)
            if holdEnd == nil, total.connected + total.failed >= UInt64(connections) {
                holdEnd = ContinuousClock.now + .seconds(hold)
            }
            // A connection whose CONNACK never comes fails after the connect timeout, so this ends.
        }
        let heldSince = holdEnd.map { $0 - .seconds(hold) } ?? ContinuousClock.now
        let clients = await opening.value
        let heldSeconds = (ContinuousClock.now - heldSince).asSeconds
        total.add(await fleet.collect())
        await BenchFleet.closeAll(clients)
        total.add(await fleet.collect())
        let openSeconds = total.lastConnectedAt > start ? Double(total.lastConnectedAt - start) / 1e9 : 0
        return ConnResult(
            broker: target.description, connections: connections, connected: total.connected, failed: total.failed,
            dropped: total.dropped, heldSeconds: (heldSeconds * 10).rounded() / 10,
            connectPerSecond: BenchFormat.perSecond(total.connected, seconds: openSeconds),
            connectLatency: LatencySummary(total.connectLatency), firstError: total.firstError)
    }
}
