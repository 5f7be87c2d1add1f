import NIOCore

/// The running bridges, owned by the broker's event loop: started at start, reconciled with the file on a
/// reload (a bridge whose block changed restarts, a removed one stops, a new one starts, the rest run on),
/// stopped at shutdown.
final class BridgeSet: @unchecked Sendable {
    private let broker: Broker
    private let listener: ListenerContext
    /// Touched on the broker's event loop only.
    private(set) var links: [BridgeLink] = []

    init(broker: Broker, listener: ListenerContext) {
        self.broker = broker
        self.listener = listener
    }

    /// On the broker's event loop.
    func start(_ configurations: [BridgeConfiguration]) {
        links = configurations.map { BridgeLink(configuration: $0, broker: broker, listener: listener) }
        for link in links { link.start() }
    }

    /// On the broker's event loop: brings the running bridges in line with `configurations` (by name and block).
    func reconcile(with configurations: [BridgeConfiguration]) {
        var kept: [BridgeLink] = []
        for link in links {
            if configurations.contains(where: { Self.sameBlock($0, link.configuration) }) {
                kept.append(link)
            } else {
                broker.log.log(.notice, "Bridge \(link.configuration.name) changed or was removed from the config file; stopping it.")
                let client = link.stopLocally()
                let replaced = configurations.contains { $0.name == link.configuration.name }
                Task { await link.disconnectRemote(client, announce: !replaced) }
            }
        }
        var started: [BridgeLink] = []
        for configuration in configurations where !kept.contains(where: { Self.sameBlock($0.configuration, configuration) }) {
            started.append(BridgeLink(configuration: configuration, broker: broker, listener: listener))
        }
        links = kept + started
        for link in started { link.start() }
    }

    /// On the broker's event loop: the dashboard's "restart this bridge".
    func restart(named name: String) {
        guard let index = links.firstIndex(where: { $0.configuration.name == name }) else { return }
        let old = links[index]
        broker.log.log(.notice, "Bridge \(name) restarted by the dashboard.")
        let client = old.stopLocally()
        Task { await old.disconnectRemote(client, announce: false) }
        let link = BridgeLink(configuration: old.configuration, broker: broker, listener: listener)
        links[index] = link
        link.start()
    }

    func stopAll() async {
        let links = (try? await broker.eventLoop.submit { self.links }.get()) ?? []
        for link in links { await link.stop() }
    }

    /// The same block wherever it sits in the file.
    static func sameBlock(_ lhs: BridgeConfiguration, _ rhs: BridgeConfiguration) -> Bool {
        var lhs = lhs, rhs = rhs
        (lhs.file, lhs.line, rhs.file, rhs.line) = ("", 0, "", 0)
        return lhs == rhs
    }
}
