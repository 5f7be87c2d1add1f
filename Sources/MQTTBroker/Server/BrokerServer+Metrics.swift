import NIOCore
import NIOHTTP1
import NIOPosix

extension BrokerServer {
    /// `metrics_listener`: binds the HTTP endpoint; each scrape reads the core on the broker's event loop.
    func startMetricsListener(broker: Broker) async throws {
        guard let metrics, let endpoint = configuration.metricsListener else { return }
        let bridges = self.bridges
        let scrape: @Sendable () -> EventLoopFuture<[UInt8]> = {
            broker.eventLoop.submit { metrics.scrape(broker.core, bridges: bridges?.links ?? []) }
        }
        do {
            metricsChannel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(10)))
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(scrape: scrape))
                    }
                }
                .bind(host: endpoint.host, port: endpoint.port).get()
        } catch {
            throw BrokerStartError.metrics("cannot listen on \(endpoint.host):\(endpoint.port) for metrics_listener: \(error)")
        }
        log.log(.notice, "Metrics: http://\(endpoint.host):\(endpoint.port)/metrics and /health.")
    }
}
