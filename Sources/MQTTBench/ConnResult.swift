/// The outcome of `bench conn`.
public struct ConnResult: Codable, Equatable, Sendable {
    var mode = "conn"
    var broker: String
    var connections: Int
    public var connected: UInt64
    public var failed: UInt64
    /// Up once, then closed by the broker or the network while held.
    public var dropped: UInt64
    /// Seconds all of them were held after the last attempt.
    var heldSeconds: Double
    /// Connection attempts per second while opening.
    var connectPerSecond: UInt64
    /// From starting the TCP connection to CONNACK.
    var connectLatency: LatencySummary?
    public var firstError: String?

    enum CodingKeys: String, CodingKey {
        case mode, broker, connections, connected, failed, dropped, heldSeconds = "held_seconds"
        case connectPerSecond = "connect_per_s", connectLatency = "connect_latency", firstError = "first_error"
    }

    /// `bench conn: 50 connections, 50 connected, 0 failed, 0 dropped, held 2.0 s, connect p50 ...`
    public var summaryLine: String {
        var text = "bench conn: \(BenchFormat.plural(connections, "connection")), \(connected) connected (\(connectPerSecond)/s), \(failed) failed, \(dropped) dropped, held \(BenchFormat.seconds(heldSeconds))"
        text += connectLatency.map { ", connect " + $0.text } ?? ", connect latency n/a"
        return text
    }
}
