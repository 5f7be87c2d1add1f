/// The outcome of `bench pub` / `bench sub`, printed as a summary line or as JSON.
public struct PubSubResult: Codable, Equatable, Sendable {
    var mode: String
    var broker: String
    var publishers: Int
    var subscribers: Int
    var qos: Int
    var payloadBytes: Int
    /// Seconds from the start until the publishers stopped (`bench sub`: until the run ended).
    var seconds: Double
    var sent: UInt64
    /// Acknowledged by the broker (PUBACK, PUBCOMP); nil for QoS 0 and for `bench sub`.
    var acked: UInt64?
    var received: UInt64
    /// Deliveries the subscribers should have had, nil when unknown (`bench sub`).
    var expected: UInt64?
    var lost: UInt64?
    var duplicated: UInt64
    var sentPerSecond: UInt64
    var receivedPerSecond: UInt64
    var latency: LatencySummary?
    /// Connections that failed or dropped during the run.
    public var failures: UInt64

    enum CodingKeys: String, CodingKey {
        case mode, broker, publishers, subscribers, qos, payloadBytes = "payload_bytes", seconds, sent, acked, received
        case expected, lost, duplicated, sentPerSecond = "sent_per_s", receivedPerSecond = "received_per_s", latency, failures
    }

    /// The final line, e.g.
    /// `bench pub: 10.0 s, 1 publisher -> 1 subscriber, QoS 1, 64 B: sent 1000 (100/s), acked 1000, received 1000 (100/s), lost 0, duplicated 0, latency p50 ...`
    public var summaryLine: String {
        var parts = ["bench \(mode): \(BenchFormat.seconds(seconds))"]
        var shape: [String] = []
        if mode == "pub" { shape.append(BenchFormat.plural(publishers, "publisher")) }
        if subscribers > 0 || mode == "sub" { shape.append(BenchFormat.plural(subscribers, "subscriber")) }
        parts.append(shape.joined(separator: " -> ") + ", QoS \(qos)" + (mode == "pub" ? ", \(BenchFormat.bytes(payloadBytes))" : ""))
        var counts: [String] = []
        if mode == "pub" { counts.append("sent \(sent) (\(sentPerSecond)/s)") }
        if let acked { counts.append("acked \(acked)") }
        if subscribers > 0 { counts.append("received \(received) (\(receivedPerSecond)/s)") }
        if let lost { counts.append("lost \(lost)") }
        if subscribers > 0 { counts.append("duplicated \(duplicated)") }
        if failures > 0 { counts.append("failures \(failures)") }
        if subscribers > 0 { counts.append(latency.map { "latency " + $0.text } ?? "latency n/a") }
        return parts.joined(separator: ", ") + ": " + counts.joined(separator: ", ")
    }
}

/// One per-second line of `bench pub` / `bench sub`.
struct IntervalLine {
    var second: Int
    var showsSent: Bool
    var showsReceived: Bool
    var sent: UInt64
    var received: UInt64
    var latency: LatencySummary?
    var failures: UInt64

    var text: String {
        var parts = [BenchFormat.secondLabel(second)]
        if showsSent { parts.append("sent \(sent)/s") }
        if showsReceived {
            parts.append("recv \(received)/s")
            if let latency { parts.append(latency.text) }
        }
        if failures > 0 { parts.append("failures \(failures)") }
        return parts.joined(separator: "  ")
    }
}
