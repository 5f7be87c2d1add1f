import Foundation
import MQTTCore

/// Every deadline the broker keeps, checked on `tick`: connect timeout, keep alive, output stall, and once a
/// second the housekeeping (wills, session expiry, `$SYS`, paused publishers).
extension BrokerCore {
    /// A client that reads nothing of what we send for this long is closed: its unsent bytes stay bounded
    /// meanwhile (we stop reading it), but it would hold them forever.
    static var outputStallLimit: Duration { .seconds(60) }

    func tick() {
        for connection in connections.values where !connection.isClosing {
            checkDeadlines(of: connection)
        }
        if uptime - lastHousekeeping >= .seconds(1) {
            lastHousekeeping = uptime
            runHousekeeping()
        }
    }

    private func checkDeadlines(of connection: CoreConnection) {
        switch connection.state {
        case .awaitingConnect:
            if uptime - connection.openedAt >= Self.connectTimeout {
                close(connection, reason: nil, log: "Client \(connection.remoteAddress) sent no CONNECT within \(Self.connectTimeout.components.seconds) s, disconnecting.")
            }
        case .connected:
            if let since = connection.outputFullSince, uptime - since >= Self.outputStallLimit {
                close(connection, reason: nil, log: "Client \(connection.clientID) (\(connection.remoteAddress)) has read nothing for \(Self.outputStallLimit.components.seconds) s, disconnecting.")
                return
            }
            checkKeepAlive(of: connection)
        case .closed:
            break
        }
    }

    /// While we are not reading for reasons of ours, the client's packets wait unread: that silence is not
    /// its fault. One that stopped reading what we send (output full) gets no such excuse.
    private func checkKeepAlive(of connection: CoreConnection) {
        guard var machine = keepAlives[connection.id], let now, let lastPacket = instant(at: connection.lastPacketAt),
              connection.readPauses.subtracting(.outputFull).isEmpty else { return }
        machine.packetReceived(at: lastPacket)
        let action = machine.tick(now: now)
        keepAlives[connection.id] = machine
        if action == .closeConnection {
            close(connection, reason: .keepAliveTimeout, log: "Client \(connection.clientID) has exceeded timeout, disconnecting.")
        }
    }

    /// Starts the 1.5 x keep-alive watchdog (MQTT 3.1.2.10); 0 disables it.
    func startKeepAlive(of connection: CoreConnection, seconds: UInt16) {
        guard seconds > 0, let now else { return }
        connection.lastPacketAt = uptime
        keepAlives[connection.id] = ServerKeepAliveStateMachine(keepAlive: .keepAlive(seconds), connectReceived: now)
    }

    /// Once a second: sessions past their expiry, wills past their delay, and `$SYS` when it is due.
    func runHousekeeping() {
        // A safety net: whatever happened, no publisher stays unread for more than a second.
        if !pausedPublishers.isEmpty { resumePausedPublishers() }
        if !storeIsFallingBehind { resumeStoreStalledPublishers() }
        let now = wallNow
        for (clientID, pending) in pendingWills where pending.due <= now {
            pendingWills.removeValue(forKey: clientID)
            publishWill(pending.will, of: clientID)
        }
        for session in sessions.values where session.connection == nil && session.expiryInterval != .max {
            guard let since = session.disconnectedAt, since.addingTimeInterval(TimeInterval(session.expiryInterval)) <= now else { continue }
            log(.notice, "Session of client \(session.clientID) expired.")
            discard(session)
        }
        let interval = Duration.seconds(configuration.sysInterval)
        if configuration.sysInterval > 0, lastSysPublish.map({ uptime - $0 >= interval }) ?? true {
            lastSysPublish = uptime
            publishSystemTopics(now: now)
        }
    }
}
