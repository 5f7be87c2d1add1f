import Prometheus

/// What `metrics_listener` serves: the broker's figures in Prometheus' text format. Read from the core on its
/// event loop at each scrape; counters advance by what the core counted since the previous scrape, so the
/// hot path pays nothing for them.
final class BrokerMetrics: @unchecked Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let commitLatency: DurationHistogram
    private let clientsConnected: Gauge
    private let sessions: Gauge
    private let queued: Gauge
    private let retained: Gauge
    private let subscriptions: Gauge
    private let totals: [(KeyPath<BrokerStatistics, UInt64>, Counter)]
    private let dropped: [DropReason: Counter]
    /// The statistics at the previous scrape (touched on the broker's event loop only).
    private var previous = BrokerStatistics()

    init() {
        commitLatency = registry.makeDurationHistogram(
            name: "mqdash_store_commit_seconds",
            buckets: [.microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .seconds(1)],
            help: "Time to commit one batch of changes to the SQLite store (persistence true).")
        clientsConnected = registry.makeGauge(name: "mqdash_clients_connected", help: "Clients connected now.")
        sessions = registry.makeGauge(name: "mqdash_sessions", help: "Sessions, connected or not.")
        queued = registry.makeGauge(name: "mqdash_messages_queued", help: "Messages queued or in flight for sessions.")
        retained = registry.makeGauge(name: "mqdash_retained_messages", help: "Retained messages.")
        subscriptions = registry.makeGauge(name: "mqdash_subscriptions", help: "Subscriptions.")
        totals = [
            (\.messagesReceived, registry.makeCounter(name: "mqdash_packets_received_total", help: "MQTT packets received.")),
            (\.messagesSent, registry.makeCounter(name: "mqdash_packets_sent_total", help: "MQTT packets sent.")),
            (\.publishReceived, registry.makeCounter(name: "mqdash_messages_received_total", help: "PUBLISH packets received.")),
            (\.publishSent, registry.makeCounter(name: "mqdash_messages_sent_total", help: "PUBLISH packets sent.")),
            (\.bytesReceived, registry.makeCounter(name: "mqdash_bytes_received_total", help: "Bytes received.")),
            (\.bytesSent, registry.makeCounter(name: "mqdash_bytes_sent_total", help: "Bytes sent.")),
            (\.connectionsRefused, registry.makeCounter(name: "mqdash_connections_refused_total", help: "CONNECTs refused.")),
            (\.malformedPackets, registry.makeCounter(name: "mqdash_malformed_packets_total", help: "Malformed packets (the connection was closed).")),
        ]
        var dropped: [DropReason: Counter] = [:]
        for reason in DropReason.allCases {
            dropped[reason] = registry.makeCounter(name: "mqdash_messages_dropped_total", labels: [("reason", reason.rawValue)],
                                                   help: "Messages for a client dropped, by why.")
        }
        self.dropped = dropped
    }

    /// From the store's writer thread.
    func observeCommit(_ duration: Duration) {
        commitLatency.record(duration)
    }

    /// On the broker's event loop: takes the core's figures and the bridges', and returns the text to serve.
    func scrape(_ core: BrokerCore<EventLoopClock>, bridges: [BridgeLink]) -> [UInt8] {
        let statistics = core.statistics
        clientsConnected.set(to: Double(statistics.connectedClients))
        sessions.set(to: Double(core.sessions.count))
        queued.set(to: Double(core.sessions.values.reduce(0) { $0 + $1.queue.count + $1.inflight.count }))
        retained.set(to: Double(core.retained.count))
        subscriptions.set(to: Double(core.subscriptions.count))
        for (keyPath, counter) in totals {
            counter.increment(by: Int64(clamping: statistics[keyPath: keyPath] &- previous[keyPath: keyPath]))
        }
        for (reason, counter) in dropped {
            counter.increment(by: Int64(clamping: statistics.droppedByReason[reason, default: 0] &- previous.droppedByReason[reason, default: 0]))
        }
        previous = statistics
        for bridge in bridges {
            let label = [("bridge", bridge.configuration.name)]
            registry.makeGauge(name: "mqdash_bridge_up", labels: label, help: "1 while the bridge's link is up.")
                .set(to: bridge.isUp ? 1.0 : 0.0)
            let session = core.sessions[bridge.configuration.effectiveLocalClientID]
            registry.makeGauge(name: "mqdash_bridge_queued", labels: label, help: "Messages waiting in the bridge's session for the remote.")
                .set(to: Double((session?.queue.count ?? 0) + (session?.inflight.count ?? 0)))
            registry.makeGauge(name: "mqdash_bridge_forwarded", labels: label, help: "Messages the remote acknowledged, since start.")
                .set(to: Double(bridge.forwarded))
            registry.makeGauge(name: "mqdash_bridge_dropped", labels: label, help: "Messages for the remote dropped (queue full, too large), since start.")
                .set(to: Double((session?.droppedTotal ?? 0) + bridge.dropped))
        }
        return registry.emitToBuffer()
    }
}
