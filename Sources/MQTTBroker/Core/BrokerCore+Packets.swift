import Foundation
import MQTTCore

/// A connection's life as packets: opened, CONNECT, what follows, malformed input.
extension BrokerCore {
    /// A client that opens a socket and says nothing is closed after this long.
    static var connectTimeout: Duration { .seconds(10) }

    func opened(_ id: ConnectionID, listener: ListenerContext, remoteAddress: String) {
        guard connections[id] == nil else { return }
        var listener = listener
        listener.security = currentSecurity(of: listener)
        connections[id] = CoreConnection(id: id, listener: listener, remoteAddress: remoteAddress, openedAt: uptime)
        logConnection("New connection from \(remoteAddress) on port \(listener.port).")
    }

    func received(_ packet: MQTTPacket, over connection: CoreConnection) {
        statistics.messagesReceived += 1
        connection.lastPacketAt = uptime
        switch connection.state {
        case .awaitingConnect:
            guard case .connect(let connect) = packet else {
                close(connection, reason: .protocolError, log: "Client \(connection.remoteAddress) sent \(packet.type) before CONNECT, disconnecting.")
                return
            }
            self.connect(connection, connect)
        case .connected(let session):
            handle(packet, in: session, over: connection)
        case .closed:
            break
        }
    }

    func malformed(_ error: MQTTDecodeError, over connection: CoreConnection) {
        statistics.malformedPackets += 1
        if case .awaitingConnect = connection.state, case .unsupportedProtocolVersion(let level) = error {
            // A client speaking a version we do not: answer in 3.1.1 terms, as mosquitto does.
            write(.connAck(ConnAckPacket(reasonCode: ReasonCode(rawValue: 1))), to: connection)
            close(connection, reason: nil, log: "Client \(connection.remoteAddress) asked for unsupported protocol level \(level), disconnecting.")
            return
        }
        close(connection, reason: error.reasonCode,
              log: "Client \(connection.clientID) (\(connection.remoteAddress)) sent a malformed packet: \(error), disconnecting.")
    }

    private func handle(_ packet: MQTTPacket, in session: BrokerSession, over connection: CoreConnection) {
        switch packet {
        case .connect:
            close(connection, reason: .protocolError, log: "Client \(connection.clientID) sent a second CONNECT, disconnecting.")
        case .publish(let publish):
            handlePublish(publish, in: session, over: connection)
        case .pubAck(let ack):
            guard answers(ack, ofQoS: .atLeastOnce, with: packet.type, in: session, over: connection) else { return }
            acknowledged(ack.packetID, in: session)
        case .pubRec(let ack):
            guard answers(ack, ofQoS: .exactlyOnce, with: packet.type, in: session, over: connection) else { return }
            publishReceived(ack, in: session, over: connection)
        case .pubRel(let ack):
            releaseArrived(ack.packetID, in: session, over: connection)
        case .pubComp(let ack):
            guard answers(ack, ofQoS: .exactlyOnce, with: packet.type, in: session, over: connection) else { return }
            acknowledged(ack.packetID, in: session)
        case .subscribe(let subscribe):
            self.subscribe(subscribe, in: session, over: connection)
        case .unsubscribe(let unsubscribe):
            self.unsubscribe(unsubscribe, in: session, over: connection)
        case .pingReq:
            write(.pingResp, to: connection)
        case .disconnect(let disconnect):
            handleDisconnect(disconnect, in: session, over: connection)
        case .auth:
            // No authentication method was agreed at CONNECT, so AUTH is a Protocol Error (MQTT 5.0 4.12); 0x8C
            // "Bad authentication method" is a CONNACK code, one DISCONNECT may not carry (found by broker-fuzz).
            close(connection, reason: .protocolError, log: "Client \(connection.clientID) sent AUTH; extended authentication is not supported, disconnecting.")
        case .connAck, .subAck, .unsubAck, .pingResp:
            // The decoder refuses packets only a server sends; kept for exhaustiveness.
            close(connection, reason: .protocolError, log: "Client \(connection.clientID) sent \(packet.type), disconnecting.")
        }
    }

    /// PUBACK answers only a QoS 1 message, PUBREC and PUBCOMP only a QoS 2 one (MQTT 4.3); a client
    /// that mixes them up is closed, as mosquitto closes it. An id with nothing in flight is ignored.
    private func answers(_ ack: AckPacket, ofQoS expected: QoS, with type: MQTTPacketType, in session: BrokerSession,
                         over connection: CoreConnection) -> Bool {
        guard let qos = session.inflight[ack.packetID]?.qos, qos != expected else { return true }
        close(connection, reason: .protocolError, log: "Client \(connection.clientID) answered a QoS \(qos.rawValue) message with \(type), disconnecting.")
        return false
    }

    private func handleDisconnect(_ disconnect: DisconnectPacket, in session: BrokerSession, over connection: CoreConnection) {
        if let expiry = disconnect.properties.sessionExpiryInterval {
            // MQTT 5.0 3.14.2.2.2: a session that was to end with the connection cannot be extended now.
            if connection.sessionExpiryAtConnect == 0 && expiry != 0 {
                close(connection, reason: .protocolError, log: "Client \(connection.clientID) set a session expiry in DISCONNECT after connecting with none, disconnecting.")
                return
            }
            updateSessionExpiry(session, to: expiry)
        }
        if disconnect.reasonCode != .disconnectWithWill { connection.will = nil }
        logConnection("Client \(connection.clientID) disconnected.")
        closeQuietly(connection)
    }

    private func handlePublish(_ publish: PublishPacket, in session: BrokerSession, over connection: CoreConnection) {
        let listener = connection.listener
        var topic = publish.topic
        if connection.version == .v5, let alias = publish.properties.topicAlias {
            guard alias > 0, alias <= listener.topicAliasMaximum else {
                close(connection, reason: .topicAliasInvalid, log: "Client \(connection.clientID) used topic alias \(alias) above the maximum \(listener.topicAliasMaximum), disconnecting.")
                return
            }
            if topic.isEmpty {
                guard let known = connection.incomingAliases[alias] else {
                    close(connection, reason: .protocolError, log: "Client \(connection.clientID) used topic alias \(alias) before setting it, disconnecting.")
                    return
                }
                topic = known
            } else {
                connection.incomingAliases[alias] = topic
            }
        } else if topic.isEmpty {
            close(connection, reason: .protocolError, log: "Client \(connection.clientID) sent PUBLISH with an empty topic, disconnecting.")
            return
        }
        topic = listener.mounted(topic)
        if publish.qos > listener.maximumQoS {
            close(connection, reason: .qosNotSupported, log: "Client \(connection.clientID) sent QoS \(publish.qos.rawValue) above the maximum \(listener.maximumQoS.rawValue), disconnecting.")
            return
        }
        if publish.retain && !configuration.retainAvailable {
            close(connection, reason: .retainNotSupported, log: "Client \(connection.clientID) sent a retained message but retain is not available, disconnecting.")
            return
        }
        if publish.qos != .atMostOnce {
            if connection.version == .v5 && connection.incomingUnacknowledged >= connection.receiveMaximum {
                close(connection, reason: .receiveMaximumExceeded, log: "Client \(connection.clientID) exceeded the receive maximum of \(connection.receiveMaximum), disconnecting.")
                return
            }
            connection.incomingUnacknowledged += 1
        }
        self.publish(publish, topic: topic, in: session, over: connection)
    }
}
