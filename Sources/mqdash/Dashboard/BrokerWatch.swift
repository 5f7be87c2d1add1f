import Dashboard
import Foundation
import MQTTBroker
import Synchronization
import DashboardApp

/// The broker pane's link to the embedded broker: while the pane is open, asks the broker for its
/// overview about once a second (taken on the broker's event loop) and queues it for the UI; carries
/// out the pane's "disconnect this client". Closed, the pane costs the broker nothing.
final class BrokerWatch: Sendable {
    static let interval = Duration.seconds(1)

    let server: BrokerServer
    let queue: EventQueue
    private let watching = Mutex<Task<Void, Never>?>(nil)

    init(server: BrokerServer, queue: EventQueue) {
        self.server = server
        self.queue = queue
    }

    /// The commands that are the broker's; false for the others (they go to the `DashboardConnection`).
    func perform(_ command: DashboardCommand) -> Bool {
        switch command {
        case .watchBroker(let on):
            if on { start() } else { stop() }
        case .disconnectClient(let clientID):
            server.disconnect(clientID: clientID)
            // The row goes at once rather than up to a second later.
            refreshSoon()
        case .restartBridge(let name):
            server.restartBridge(named: name)
            refreshSoon()
        default:
            return false
        }
        return true
    }

    func stop() {
        watching.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    private func start() {
        let (server, queue) = (server, queue)
        watching.withLock { task in
            task?.cancel()
            task = Task.detached {
                while !Task.isCancelled {
                    if let overview = await server.overview() { queue.push(.brokerReport(BrokerReport(overview))) }
                    try? await Task.sleep(for: Self.interval)
                }
            }
        }
    }

    private func refreshSoon() {
        let (server, queue) = (server, queue)
        Task.detached {
            // After the disconnect: both run in order on the broker's event loop.
            if let overview = await server.overview() { queue.push(.brokerReport(BrokerReport(overview))) }
        }
    }
}

extension BrokerReport {
    /// The broker's overview in the dashboard's terms (the Dashboard target knows no broker).
    init(_ overview: BrokerOverview) {
        let clients = overview.clients.map { client in
            BrokerReport.Client(
                connection: client.connection, clientID: client.clientID, username: client.username,
                remoteAddress: client.remoteAddress, version: client.version, keepAlive: Int(client.keepAlive),
                subscriptions: client.subscriptions, queued: client.queued, inflight: client.inflight,
                messagesReceived: client.messagesReceived, messagesSent: client.messagesSent,
                connectedAt: client.connectedAt.timeIntervalSince1970)
        }
        var figures = BrokerReport.Figures()
        figures.connectedClients = overview.figures.connectedClients
        figures.sessions = overview.figures.sessions
        figures.messagesReceived = overview.figures.messagesReceived
        figures.messagesSent = overview.figures.messagesSent
        figures.bytesReceived = overview.figures.bytesReceived
        figures.bytesSent = overview.figures.bytesSent
        figures.retained = overview.figures.retained
        figures.dropped = overview.figures.dropped
        figures.uptimeSeconds = overview.figures.uptimeSeconds
        let bridges = overview.bridges.map { bridge in
            BrokerReport.Bridge(name: bridge.name, isUp: bridge.isUp, address: bridge.address, queued: bridge.queued,
                                forwarded: bridge.forwarded, received: bridge.received, dropped: bridge.dropped,
                                lastError: bridge.lastError, retryAt: bridge.retryAt?.timeIntervalSince1970)
        }
        self.init(clients: clients, figures: figures, bridges: bridges, takenAt: overview.takenAt.timeIntervalSince1970)
    }
}
