import MQTTCore

/// What one bench connection does once connected.
struct BenchClientPlan: Sendable {
    enum Role: Sendable {
        /// Publishes to `topic` when told to start.
        case publisher(index: Int, topic: String)
        /// Subscribes to `filter` and counts what arrives.
        case subscriber(index: Int, filter: String)
        /// Only connects and stays connected (`bench conn`).
        case idle(index: Int)
    }

    var role: Role
    var clientID: String
    var qos: QoS = .atMostOnce
    var payloadSize: Int = 64
    var inflight: Int = 64
    /// Messages per second; nil: as fast as possible.
    var rate: Double?
    /// Messages to send, at most.
    var count: Int?
}
