/// Counters behind `$SYS/broker/...`, named as mosquitto names its topics.
struct BrokerStatistics {
    var messagesReceived: UInt64 = 0
    var messagesSent: UInt64 = 0
    var publishReceived: UInt64 = 0
    var publishSent: UInt64 = 0
    var publishDropped: UInt64 = 0
    /// The same drops by why, for metrics.
    var droppedByReason: [DropReason: UInt64] = [:]
    var bytesReceived: UInt64 = 0
    var bytesSent: UInt64 = 0
    var connectedClients = 0
    var maximumConnectedClients = 0
    var connectionsRefused: UInt64 = 0
    var malformedPackets: UInt64 = 0

    mutating func dropped(_ count: UInt64 = 1, because reason: DropReason) {
        publishDropped += count
        droppedByReason[reason, default: 0] += count
    }

    mutating func clientConnected() {
        connectedClients += 1
        maximumConnectedClients = max(maximumConnectedClients, connectedClients)
    }
}

/// Why a message for a client was dropped (the `reason` label of `mqdash_messages_dropped_total`).
enum DropReason: String, CaseIterable {
    /// QoS 0 to a client whose output is full.
    case slowReader = "slow_reader"
    /// Its session's queue is at `max_queued_messages` / `max_queued_bytes`.
    case queueFull = "queue_full"
    /// Above the client's maximum packet size.
    case oversized
    /// A resumed session's new identity may not read it.
    case notAuthorized = "not_authorized"
}
