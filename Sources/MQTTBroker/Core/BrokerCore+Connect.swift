import Foundation
import MQTTCore

extension BrokerCore {
    /// Accepts or refuses a CONNECT: client id, credentials, will ACL, then session takeover, clean start
    /// or resumption, CONNACK with our limits, and the resend of whatever was in flight.
    func connect(_ connection: CoreConnection, _ packet: ConnectPacket) {
        var packet = packet
        let version = packet.version
        connection.version = version
        let security = connection.listener.security
        let v5 = version == .v5
        // Refused before anything else, as mosquitto does: we support no extended authentication, MQTT 3.1
        // had no empty client ids, and use_username_as_clientid needs a user name to take the id from.
        if packet.properties.authenticationMethod != nil {
            refuse(connection, v3: 5, v5: .badAuthenticationMethod, "its authentication method is not supported")
            return
        }
        if packet.isMQTT31 && packet.clientID.isEmpty {
            refuse(connection, v3: 2, v5: .clientIdentifierNotValid, "MQTT 3.1 does not allow an empty client id")
            return
        }
        // As mosquitto: with the user name from the certificate, the CONNECT's user name and password are not
        // used, and a certificate that names nobody is a bad user name.
        let certified = connection.listener.usernameFromCertificate != nil
        if certified {
            guard let username = connection.certificateUsername else {
                refuse(connection, v3: 4, v5: .badUserNameOrPassword, "its client certificate gives no user name")
                return
            }
            packet.username = username
            packet.password = nil
        }
        if connection.listener.useUsernameAsClientID && packet.username == nil {
            refuse(connection, v3: 5, v5: .notAuthorized, "use_username_as_clientid is set and it gave no user name")
            return
        }

        var clientID = packet.clientID
        if connection.listener.useUsernameAsClientID, let username = packet.username { clientID = username }
        var assignedID = false
        if clientID.isEmpty {
            guard (v5 || packet.cleanStart) && security.settings.allowZeroLengthClientID else {
                refuse(connection, v3: 2, v5: .clientIdentifierNotValid, "an empty client id needs a clean session")
                return
            }
            clientID = security.settings.autoIDPrefix + Self.randomClientIDSuffix()
            assignedID = true
        }
        connection.clientID = clientID

        if var will = packet.will {
            will.topic = connection.listener.mounted(will.topic)
            packet.will = will
        }
        let password = packet.password.map { Array($0.readableBytesView) }
        guard certified || security.authenticate(username: packet.username, password: password) else {
            let why = packet.username == nil ? "anonymous clients are not allowed" : "bad user name or password for '\(packet.username!)'"
            refuse(connection, v3: 5, v5: packet.username == nil ? .notAuthorized : .badUserNameOrPassword, why)
            return
        }
        if let will = packet.will, !security.canPublish(clientID: clientID, username: packet.username, topic: will.topic) {
            refuse(connection, v3: 5, v5: .notAuthorized, "its will topic '\(will.topic)' is not allowed by the ACL")
            return
        }

        let requestedExpiry: UInt32 = v5 ? packet.properties.sessionExpiryInterval ?? 0 : (packet.cleanStart ? 0 : .max)
        let expiry = cappedSessionExpiry(requestedExpiry)
        let (session, sessionPresent) = takeOverOrCreateSession(clientID, cleanStart: packet.cleanStart, connection: connection)
        attach(session, to: connection, packet: packet, expiry: expiry, security: security)

        var properties = Properties()
        if v5 {
            if assignedID { properties.append(.assignedClientIdentifier(clientID)) }
            // MQTT 5.0 3.2.2.3.2: the client hears the expiry we use when it is not the one it asked for.
            if expiry != requestedExpiry { properties.append(.sessionExpiryInterval(expiry)) }
            if connection.receiveMaximum < 65_535 { properties.append(.receiveMaximum(UInt16(connection.receiveMaximum))) }
            if connection.listener.maximumQoS < .exactlyOnce { properties.append(.maximumQoS(connection.listener.maximumQoS.rawValue)) }
            if !configuration.retainAvailable { properties.append(.retainAvailable(0)) }
            if let maximum = configuration.maxPacketSize { properties.append(.maximumPacketSize(UInt32(clamping: maximum))) }
            if connection.listener.topicAliasMaximum > 0 { properties.append(.topicAliasMaximum(connection.listener.topicAliasMaximum)) }
        }
        let keepAlive = effectiveKeepAlive(packet.keepAlive)
        if v5 && keepAlive != packet.keepAlive { properties.append(.serverKeepAlive(keepAlive)) }
        // In MQTT 3.1 the CONNACK's first byte is reserved: no session-present flag (mosquitto sends 0 too).
        write(.connAck(ConnAckPacket(sessionPresent: sessionPresent && !packet.isMQTT31, properties: properties)), to: connection)
        startKeepAlive(of: connection, seconds: keepAlive)
        connection.keepAlive = keepAlive
        connection.connectedAt = wallNow

        statistics.clientConnected()
        let user = packet.username.map { ", u'\($0)'" } ?? ""
        logConnection("New client connected from \(connection.remoteAddress) as \(clientID) (p\(v5 ? 5 : 4), c\(packet.cleanStart ? 1 : 0), k\(packet.keepAlive)\(user)).")
        resume(session, over: connection)
    }

    /// `persistent_client_expiration` bounds how long any session outlives its connection, whatever a
    /// v5 client asks for: otherwise one client could keep its queue in memory and on disk forever.
    func cappedSessionExpiry(_ requested: UInt32) -> UInt32 {
        guard let cap = configuration.persistentClientExpiration else { return requested }
        return min(requested, UInt32(clamping: cap))
    }

    /// mosquitto 2.0 refuses a keep alive above `max_keepalive` for 3.1.1 and tells a v5 client the
    /// server keep alive instead; we cap both, which keeps 3.1.1 clients connected.
    private func effectiveKeepAlive(_ requested: UInt16) -> UInt16 {
        let maximum = UInt16(clamping: configuration.maxKeepalive)
        if maximum == 0 || maximum == .max { return requested }
        return requested == 0 || requested > maximum ? maximum : requested
    }

    private func refuse(_ connection: CoreConnection, v3: UInt8, v5: ReasonCode, _ why: String) {
        statistics.connectionsRefused += 1
        let code = connection.version == .v5 ? v5 : ReasonCode(rawValue: v3)
        refuse(connection, code: code, log: "Client \(connection.clientID) from \(connection.remoteAddress) refused: \(why).")
    }

    /// Disconnects a connection already using this client id, then continues its session or starts anew.
    private func takeOverOrCreateSession(_ clientID: String, cleanStart: Bool,
                                         connection: CoreConnection) -> (session: BrokerSession, present: Bool) {
        if let existing = sessions[clientID], let old = existing.connection {
            existing.connection = nil
            statistics.connectedClients -= 1
            // The old session goes on (or ends, on clean start); a will without delay is due now either way.
            if let will = old.will, cleanStart || (will.properties.willDelayInterval ?? 0) == 0 {
                publishWill(will, of: clientID)
            } else if let will = old.will {
                scheduleWill(will, of: clientID, delay: will.properties.willDelayInterval ?? 0)
            }
            old.will = nil
            takeOver(old)
        }
        if let pending = pendingWills.removeValue(forKey: clientID), cleanStart {
            // MQTT 5.0 3.1.3.2.2: the will is sent when the session ends, if that comes before its delay.
            publishWill(pending.will, of: clientID)
        }
        if let existing = sessions[clientID], !cleanStart { return (existing, true) }
        if let existing = sessions[clientID] { discard(existing) }
        let session = BrokerSession(clientID: clientID, expiryInterval: 0, username: nil, security: connection.listener.security)
        sessions[clientID] = session
        return (session, false)
    }

    private func attach(_ session: BrokerSession, to connection: CoreConnection, packet: ConnectPacket, expiry: UInt32,
                        security: ListenerSecurity) {
        session.connection = connection
        session.username = packet.username
        session.security = security
        session.listenerIndex = connection.listener.index
        session.disconnectedAt = nil
        session.expiryInterval = expiry
        if isPersistent, expiry > 0 {
            session.isStored = true
            persist(.putSession(clientID: session.clientID, expiryInterval: expiry, username: session.username))
        } else if session.isStored {
            persist(.deleteSession(clientID: session.clientID))
            session.isStored = false
        }

        connection.state = .connected(session)
        connection.will = packet.will
        connection.isBridge = packet.isBridge
        connection.sessionExpiryAtConnect = expiry
        let inflightLimit = configuration.maxInflightMessages > 0 ? configuration.maxInflightMessages : 65_535
        connection.receiveMaximum = inflightLimit
        // QoS 2 messages of the session still awaiting PUBREL count against the new connection's window, whose
        // PUBREL frees them (else each would free a slot it never took: found by broker-fuzz).
        connection.incomingUnacknowledged = session.awaitingRelease.count
        connection.sendQuota = min(Int(packet.properties.receiveMaximum ?? 65_535), inflightLimit)
        if packet.version == .v5 {
            connection.clientMaximumPacketSize = packet.properties.maximumPacketSize.map(Int.init) ?? .max
            connection.clientTopicAliasMaximum = packet.properties.topicAliasMaximum ?? 0
        }
    }

    /// Resends what was in flight (PUBLISH with DUP, or PUBREL after PUBREC), then fills the window from the queue.
    private func resume(_ session: BrokerSession, over connection: CoreConnection) {
        dropMessagesUnreadable(by: session)
        for outgoing in session.inflightInOrder {
            guard let packetID = outgoing.packetID else { continue }
            if outgoing.released {
                write(.pubRel(AckPacket(packetID: packetID)), to: connection)
            } else {
                sendPublish(outgoing, to: connection, duplicate: true)
            }
        }
        pump(session)
    }

    /// A session resumed by another identity (another user name, or another listener's ACL) gets only what
    /// that identity may read: the messages were queued under the ACL of whoever held the session before.
    /// A QoS 2 message whose PUBREL is already out was delivered under the old identity; its flow finishes.
    private func dropMessagesUnreadable(by session: BrokerSession) {
        func isReadable(_ outgoing: OutgoingMessage) -> Bool {
            session.security.canRead(clientID: session.clientID, username: session.username, topic: outgoing.message.topic)
        }
        var dropped = 0
        for (packetID, outgoing) in session.inflight where !outgoing.released && !isReadable(outgoing) {
            session.inflight.removeValue(forKey: packetID)
            _ = session.packetIDs.release(packetID)
            record(.removeOutgoing(clientID: session.clientID, sequence: outgoing.sequence), for: session)
            deliveryAcknowledged(sequence: outgoing.sequence)
            dropped += 1
        }
        let before = session.queue.count
        session.queue.removeAll { outgoing in
            guard !isReadable(outgoing) else { return false }
            session.queuedBytes -= outgoing.message.payload.readableBytes
            if outgoing.qos != .atMostOnce {
                record(.removeOutgoing(clientID: session.clientID, sequence: outgoing.sequence), for: session)
            }
            return true
        }
        dropped += before - session.queue.count
        guard dropped > 0 else { return }
        statistics.dropped(UInt64(dropped), because: .notAuthorized)
        log(.notice, "Dropped \(dropped) queued messages of client \(session.clientID): the ACL of the identity that resumed the session does not allow reading them.")
    }

    static func randomClientIDSuffix() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
