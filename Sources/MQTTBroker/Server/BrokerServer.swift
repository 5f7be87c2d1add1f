import Foundation
import MQTTCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs a broker: loads security and the store, opens every listener, and stops it all again.
/// Used headless by `mqdash broker` and inside the dashboard by `mqdash --broker`.
public final class BrokerServer: @unchecked Sendable {
    public let configuration: BrokerConfiguration
    public let log: BrokerLog
    /// One thread for the broker's state and all its connections (see `Broker`).
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private(set) var broker: Broker?
    private var store: (any BrokerStore)?
    private(set) var boundListeners: [BoundListener] = []
    /// Set once the listeners are up.
    var bridges: BridgeSet?
    let metrics: BrokerMetrics?
    var metricsChannel: (any Channel)?
    /// The configuration as the last reload left it (`configuration` until one); reloads take turns under the lock.
    let reloads = NIOLockedValueBox<BrokerConfiguration?>(nil)
    /// Where each listener ended up (port 0 in the configuration binds an ephemeral port).
    public private(set) var boundAddresses: [SocketAddress] = []

    /// A subscriber that reads slower than messages arrive gets this much buffered; past it, QoS 0 messages
    /// to it are dropped and QoS 1/2 wait in its bounded queue, so one slow reader never grows memory without bound.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 1 << 20, high: 2 << 20)

    public init(configuration: BrokerConfiguration, log: BrokerLog) {
        self.configuration = configuration
        self.log = log
        metrics = configuration.metricsListener == nil ? nil : BrokerMetrics()
    }

    public func start() async throws {
        do throws(RootPrivileges.Refusal) {
            if let warning = try RootPrivileges.check(user: configuration.user) { log.log(.warning, warning) }
        } catch {
            throw BrokerStartError.privileges(error.description)
        }
        let securities = try loadSecurity()
        let state: StoredState
        if configuration.persistence {
            var observeCommit: (@Sendable (Duration) -> Void)?
            if let metrics { observeCommit = { metrics.observeCommit($0) } }
            let store = try BrokerStoreFactory.open(configuration: configuration, log: log, observeCommit: observeCommit)
            do {
                state = try store.load()
            } catch {
                store.close()
                throw BrokerStartError.persistence("cannot read the database: \(error)")
            }
            self.store = store
        } else {
            state = StoredState()
        }
        let loop = group.next()
        let broker = Broker(configuration: configuration, eventLoop: loop, log: log, store: store)
        self.broker = broker
        try await broker.start(restoring: state, security: securities[0]).get()
        try writePIDFile()

        let maximumPacketSize = configuration.maxPacketSize ?? (maximumVariableByteInteger + 5)
        let log = self.log
        // Half a second after BrokerConnection's own connect timeout, which logs first and closes plain TCP itself.
        let preConnect = PreConnectLimits(
            budget: ConnectingBytesBudget(limit: configuration.maxConnectingBytes),
            timeout: BrokerConnection.connectTimeout + .milliseconds(500),
            maximumPacketSize: maximumPacketSize, log: { log.log(.notice, $0) })
        let contexts = zip(configuration.listeners, securities).enumerated().map { index, pair in
            let (listener, security) = pair
            return ListenerContext(index: index, port: listener.port, security: security,
                                   maximumQoS: QoS(rawValue: UInt8(clamping: listener.maxQoS)) ?? .exactlyOnce,
                                   topicAliasMaximum: UInt16(clamping: listener.maxTopicAlias),
                                   useUsernameAsClientID: listener.useUsernameAsClientID,
                                   mountPoint: listener.mountPoint ?? "",
                                   usernameFromCertificate: listener.tls.usernameFromCertificate)
        }
        try await startBridges(listener: contexts.first)
        // Before the listeners too: whoever sees the MQTT port answer can scrape at once.
        try await startMetricsListener(broker: broker)
        for (listener, context) in zip(configuration.listeners, contexts) {
            let bound = try await ListenerBinder.bind(
                listener, isLocalOnly: configuration.isLocalOnly, group: group, preConnect: preConnect,
                onRefusedConnection: { refused in log.log(.notice, refused.logLine) }
            ) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.syncOptions?.setOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
                    try channel.pipeline.syncOperations.addHandlers(
                        broker.connectionHandlers(listener: context, maximumPacketSize: maximumPacketSize))
                }
            }
            for socket in bound.sockets { log.log(.notice, socket.openingLogLine) }
            boundListeners.append(bound)
            boundAddresses += bound.localAddresses
        }
        log.log(.notice, "\(Broker.versionText) running")
    }

    /// Starts the bridges before any listener accepts: each bridge's local session is in place by then, so a
    /// message published the moment the port answers is queued for its bridge, not missed. A bridge's local
    /// side logs in as the first listener's clients do (local_username / local_password), with no mount point
    /// or topic aliases of its own.
    private func startBridges(listener first: ListenerContext?) async throws {
        guard let first, let broker else { return }
        var bridgeListener = ListenerContext(index: first.index, port: first.port, security: first.security, topicAliasMaximum: 0)
        bridgeListener.isBridge = true
        let bridges = BridgeSet(broker: broker, listener: bridgeListener)
        self.bridges = bridges
        let configurations = configuration.bridges
        try await broker.eventLoop.submit {
            broker.bridges = bridges
            bridges.start(configurations)
        }.get()
        // Each link's start hops onto the loop once more (to prime its local session): done before this runs.
        try await broker.eventLoop.submit {}.get()
    }

    /// Closes listeners and connections, commits the store and stops the thread.
    public func stop() async {
        log.log(.notice, "\(Broker.versionText) terminating")
        for listener in boundListeners { await listener.close() }
        await bridges?.stopAll()
        try? await metricsChannel?.close()
        if let broker { try? await broker.shutdown().get() }
        store?.close()
        if let path = configuration.pidFile { try? FileManager.default.removeItem(atPath: path) }
        try? await group.shutdownGracefully()
    }

    private func loadSecurity() throws -> [ListenerSecurity] {
        guard !configuration.listeners.isEmpty else { throw BrokerStartError.noListener }
        return try configuration.listeners.map { listener in
            do throws(ListenerSecurity.LoadError) {
                return try ListenerSecurity.load(listener.security)
            } catch {
                throw BrokerStartError.security(error.description)
            }
        }
    }

    private func writePIDFile() throws {
        guard let path = configuration.pidFile else { return }
        do {
            try "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BrokerStartError.pidFile(path: path, reason: error.localizedDescription)
        }
    }
}
