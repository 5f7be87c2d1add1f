import Histogram

/// Latencies in microseconds, up to a minute (slower ones count as a minute).
typealias LatencyHistogram = Histogram<UInt64>

extension Histogram where Count == UInt64 {
    static func latencies() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    mutating func recordMicroseconds(fromNanoseconds nanoseconds: UInt64) {
        record(Swift.min(Swift.max(nanoseconds / 1000, 1), highestTrackableValue))
    }
}

/// What the connections of one event loop counted since the last collection.
struct BenchSample: Sendable {
    var sent: UInt64 = 0
    var acked: UInt64 = 0
    var received: UInt64 = 0
    var duplicated: UInt64 = 0
    var connected: UInt64 = 0
    var failed: UInt64 = 0
    /// Connections that ended while they should have stayed up.
    var dropped: UInt64 = 0
    /// Monotonic time of the newest message received, 0 when none.
    var lastReceivedAt: UInt64 = 0
    /// Monotonic time of the newest CONNACK, 0 when none.
    var lastConnectedAt: UInt64 = 0
    var latency = LatencyHistogram.latencies()
    var connectLatency = LatencyHistogram.latencies()
    /// The first failure's reason, for the error line.
    var firstError: String?

    mutating func add(_ other: BenchSample) {
        sent += other.sent
        acked += other.acked
        received += other.received
        duplicated += other.duplicated
        connected += other.connected
        failed += other.failed
        dropped += other.dropped
        lastReceivedAt = max(lastReceivedAt, other.lastReceivedAt)
        lastConnectedAt = max(lastConnectedAt, other.lastConnectedAt)
        if other.latency.totalCount > 0 { latency.add(other.latency) }
        if other.connectLatency.totalCount > 0 { connectLatency.add(other.connectLatency) }
        if firstError == nil { firstError = other.firstError }
    }

    /// Zero again for the next interval: the counts and the histograms (which keep their memory); the times of
    /// the newest message and CONNACK stay, as they are not counted per interval.
    mutating func startNextInterval() {
        sent = 0
        acked = 0
        received = 0
        duplicated = 0
        connected = 0
        failed = 0
        dropped = 0
        firstError = nil
        if latency.totalCount > 0 { latency.reset() }
        if connectLatency.totalCount > 0 { connectLatency.reset() }
    }
}

/// The counters of the connections on one event loop. Touched only on that loop (the handlers
/// record, the reporter collects with a task submitted to it), so recording takes no lock.
final class BenchRecorder: @unchecked Sendable {
    var current = BenchSample()

    /// Hands over what was counted since the last call and starts again from zero.
    func collect() -> BenchSample {
        let sample = current
        current.startNextInterval()
        return sample
    }

    /// A connection that never came up.
    func recordFailure(_ reason: String) {
        current.failed += 1
        noteError(reason)
    }

    /// A connection that was up and ended without being asked to.
    func recordDrop(_ reason: String) {
        current.dropped += 1
        noteError(reason)
    }

    func noteError(_ reason: String) {
        if current.firstError == nil { current.firstError = reason }
    }
}
