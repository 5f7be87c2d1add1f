import Foundation
import MQTTCore

/// A will waiting out its delay interval (MQTT 5.0 3.1.3.2.2).
struct PendingWill {
    var will: Will
    var due: Date
}

extension BrokerCore {
    /// The connection is gone: its will is due (unless it said DISCONNECT), and its session ends now or
    /// when its expiry interval has passed.
    func connectionClosed(_ connection: CoreConnection) {
        guard case .connected(let session) = connection.state else { return }
        connection.state = .closed
        statistics.connectedClients -= 1
        pausedPublishers.removeValue(forKey: connection.id)
        storeStalledPublishers.removeValue(forKey: connection.id)
        guard session.connection === connection else { return }
        session.connection = nil
        easeBackpressure(after: session)
        if let will = connection.will {
            let delay = min(will.properties.willDelayInterval ?? 0, session.expiryInterval)
            if delay == 0 { publishWill(will, of: session.clientID) } else { scheduleWill(will, of: session.clientID, delay: delay) }
            connection.will = nil
        }
        if session.expiryInterval == 0 {
            discard(session)
        } else {
            let now = wallNow
            session.disconnectedAt = now
            record(.sessionDisconnected(clientID: session.clientID, at: now), for: session)
        }
    }

    /// Ends a session: its subscriptions leave the routing trie, its messages are dropped, a pending will is sent.
    func discard(_ session: BrokerSession) {
        for filter in session.subscriptions.keys {
            subscriptions.remove(filter: filter, key: session.clientID)
        }
        if sessions[session.clientID] === session { sessions.removeValue(forKey: session.clientID) }
        if session.isStored {
            persist(.deleteSession(clientID: session.clientID))
            session.isStored = false
        }
        if let pending = pendingWills.removeValue(forKey: session.clientID) {
            publishWill(pending.will, of: session.clientID)
        }
    }

    func updateSessionExpiry(_ session: BrokerSession, to requested: UInt32) {
        let interval = cappedSessionExpiry(requested)
        session.expiryInterval = interval
        if isPersistent, interval > 0 {
            session.isStored = true
            persist(.putSession(clientID: session.clientID, expiryInterval: interval, username: session.username))
        }
    }

    func scheduleWill(_ will: Will, of clientID: String, delay: UInt32) {
        pendingWills[clientID] = PendingWill(will: will, due: wallNow.addingTimeInterval(TimeInterval(delay)))
    }

    func publishWill(_ will: Will, of clientID: String) {
        let properties = Properties(will.properties.filter { $0.identifier != .willDelayInterval })
        let expiresAt = properties.messageExpiryInterval.map { wallNow.addingTimeInterval(TimeInterval($0)) }
        log(.notice, "Sending will of client \(clientID) on \(will.topic).")
        route(StoredMessage(topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain,
                            properties: properties, expiresAt: expiresAt), from: clientID)
    }

}
