import Foundation
import MQTTCore
import NIOCore

/// What the dashboard's broker pane shows: one row per connected client and the broker-wide figures
/// behind `$SYS`. A copy taken on the broker's event loop, so the UI thread reads it without locks.
/// Counters are totals since the connection (or the broker) started: rates are the reader's business.
public struct BrokerOverview: Sendable, Equatable {
    public struct Client: Sendable, Equatable {
        /// Tells this connection from a later one of the same client id (a rate spans one connection only).
        public var connection: Int
        public var clientID: String
        public var username: String?
        public var remoteAddress: String
        public var version: MQTTVersion
        /// Seconds, as in force after `max_keepalive`; 0 is none.
        public var keepAlive: UInt16
        public var subscriptions: Int
        public var queued: Int
        public var inflight: Int
        public var messagesReceived: UInt64
        public var messagesSent: UInt64
        public var connectedAt: Date
    }

    /// Named as mosquitto's `$SYS/broker/...` topics.
    public struct Figures: Sendable, Equatable {
        public var connectedClients: Int
        /// Sessions kept, connected or not.
        public var sessions: Int
        public var messagesReceived: UInt64
        public var messagesSent: UInt64
        public var bytesReceived: UInt64
        public var bytesSent: UInt64
        public var retained: Int
        public var dropped: UInt64
        public var uptimeSeconds: Int
    }

    /// One bridge, as `BridgeLink` reports itself.
    public struct Bridge: Sendable, Equatable {
        public var name: String
        public var isUp: Bool
        public var address: String
        public var queued: Int
        public var forwarded: UInt64
        public var received: UInt64
        public var dropped: UInt64
        public var lastError: String?
        public var retryAt: Date?
    }

    /// Ordered by client id.
    public var clients: [Client]
    /// In the order of the config file.
    public var bridges: [Bridge] = []
    public var figures: Figures
    /// Wall-clock time of the copy, for rates between two copies.
    public var takenAt: Date
}

extension BrokerCore {
    func overview() -> BrokerOverview {
        var clients: [BrokerOverview.Client] = []
        clients.reserveCapacity(statistics.connectedClients)
        for session in sessions.values {
            guard let connection = session.connection, !connection.isClosing else { continue }
            clients.append(BrokerOverview.Client(
                connection: connection.id.rawValue, clientID: session.clientID, username: session.username,
                remoteAddress: connection.remoteAddress, version: connection.version, keepAlive: connection.keepAlive,
                subscriptions: session.subscriptions.count, queued: session.queue.count, inflight: session.inflight.count,
                messagesReceived: connection.publishesReceived, messagesSent: connection.publishesSent,
                connectedAt: connection.connectedAt ?? wallNow))
        }
        clients.sort { $0.clientID < $1.clientID }
        let figures = BrokerOverview.Figures(
            connectedClients: statistics.connectedClients, sessions: sessions.count,
            messagesReceived: statistics.publishReceived, messagesSent: statistics.publishSent,
            bytesReceived: statistics.bytesReceived, bytesSent: statistics.bytesSent,
            retained: retained.count, dropped: statistics.publishDropped, uptimeSeconds: Int(uptime.components.seconds))
        return BrokerOverview(clients: clients, figures: figures, takenAt: wallNow)
    }

    /// `.disconnectClient`: closes the client's connection as mosquitto's `mosquitto_ctrl ... disconnect`
    /// would. Not a normal DISCONNECT from the client, so its will is published.
    func disconnectByOperator(_ clientID: String) {
        guard let connection = sessions[clientID]?.connection, !connection.isClosing else {
            log(.notice, "Client \(clientID) is not connected: nothing to disconnect.")
            return
        }
        close(connection, reason: .administrativeAction, log: "Client \(clientID) disconnected by the dashboard.")
    }
}

extension Broker {
    /// Takes the overview on the broker's event loop.
    public func overview() -> EventLoopFuture<BrokerOverview> {
        eventLoop.submit {
            var overview = self.core.overview()
            overview.bridges = self.bridges?.links.map { $0.overview(in: self.core) } ?? []
            return overview
        }
    }

    /// Closes a client's connection on the broker's event loop (see `BrokerEvent.disconnectClient`).
    public func disconnect(clientID: String) {
        eventLoop.execute {
            self.handle(.disconnectClient(clientID: clientID))
            self.finish()
        }
    }
}

extension BrokerServer {
    /// Stops a bridge's link and starts it again (the dashboard's `r`); its queue stays in its session.
    public func restartBridge(named name: String) {
        guard let broker, let bridges else { return }
        broker.eventLoop.execute { bridges.restart(named: name) }
    }

    /// Nil before `start` has made the broker.
    public func overview() async -> BrokerOverview? {
        guard let broker else { return nil }
        return try? await broker.overview().get()
    }

    public func disconnect(clientID: String) {
        broker?.disconnect(clientID: clientID)
    }
}
