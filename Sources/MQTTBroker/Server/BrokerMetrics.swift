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
            descriptor: .mqdash("store_commit_seconds", "Time to commit one batch of changes to the SQLite store (persistence true)."),
            buckets: [.microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .seconds(1)])
        clientsConnected = registry.makeGauge(descriptor: .mqdash("clients_connected", "Clients connected now."))
        sessions = registry.makeGauge(descriptor: .mqdash("sessions", "Sessions, connected or not."))
        queued = registry.makeGauge(descriptor: .mqdash("messages_queued", "Messages queued or in flight for sessions."))
        retained = registry.makeGauge(descriptor: .mqdash("retained_messages", "Retained messages."))
        subscriptions = registry.makeGauge(descriptor: .mqdash("subscriptions", "Subscriptions."))
        totals = [
            (\.messagesReceived, registry.makeCounter(descriptor: .mqdash("packets_received_total", "MQTT packets received."))),
            (\.messagesSent, registry.makeCounter(descriptor: .mqdash("packets_sent_total", "MQTT packets sent."))),
            (\.publishReceived, registry.makeCounter(descriptor: .mqdash("messages_received_total", "PUBLISH packets received."))),
            (\.publishSent, registry.makeCounter(descriptor: .mqdash("messages_sent_total", "PUBLISH packets sent."))),
            (\.bytesReceived, registry.makeCounter(descriptor: .mqdash("bytes_received_total", "Bytes received."))),
            (\.bytesSent, registry.makeCounter(descriptor: .mqdash("bytes_sent_total", "Bytes sent."))),
            (\.connectionsRefused, registry.makeCounter(descriptor: .mqdash("connections_refused_total", "CONNECTs refused."))),
            (\.malformedPackets,
             registry.makeCounter(descriptor: .mqdash("malformed_packets_total", "Malformed packets (the connection was closed)."))),
        ]
        var dropped: [DropReason: Counter] = [:]
        for reason in DropReason.allCases {
            dropped[reason] = registry.makeCounter(descriptor: .mqdash("messages_dropped_total", "Messages for a client dropped, by why."),
                                                   labels: [("reason", reason.rawValue)])
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
            func gauge(_ name: String, _ help: String) -> Gauge {
                registry.makeGauge(descriptor: .mqdash(name, help), labels: label)
            }
            gauge("bridge_up", "1 while the bridge's link is up.").set(to: bridge.isUp ? 1.0 : 0.0)
            let session = core.sessions[bridge.configuration.effectiveLocalClientID]
            gauge("bridge_queued", "Messages waiting in the bridge's session for the remote.")
                .set(to: Double((session?.queue.count ?? 0) + (session?.inflight.count ?? 0)))
            gauge("bridge_forwarded", "Messages the remote acknowledged, since start.").set(to: Double(bridge.forwarded))
            gauge("bridge_dropped", "Messages for the remote dropped (queue full, too large), since start.")
                .set(to: Double((session?.droppedTotal ?? 0) + bridge.dropped))
        }
        return registry.emitToBuffer()
    }
}

extension MetricNameDescriptor {
    /// A metric under the `mqdash_` prefix whose name already says its unit (`_total`, `_seconds`).
    static func mqdash(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "mqdash", metricName: name, unitName: "", helpText: help)
    }
}
