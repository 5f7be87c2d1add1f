import Foundation
import MQTTCore
import NIOCore

/// Packets into a connection's outbox, and the connection-level actions: close, stop and resume reading.
extension BrokerCore {
    func write(_ packet: MQTTPacket, to connection: CoreConnection) {
        do {
            _ = try encode({ try packet.write(into: &$0, version: connection.version) }, for: connection)
        } catch {
            log(.error, "Cannot encode \(packet.type) for client \(connection.clientID): \(error).")
        }
    }

    /// Encodes one packet at the end of the outbox; `keep` sees its size and may refuse it (it is then taken
    /// back out). Returns the size of a kept packet, nil when the connection is closing or `keep` said no.
    private func encode(_ body: (inout ByteBuffer) throws -> Void, for connection: CoreConnection,
                        keep: (Int) -> Bool = { _ in true }) throws -> Int? {
        guard !connection.isClosing else { return nil }
        if connection.outbox == nil {
            connection.outbox = allocator.buffer(capacity: 256)
            dirtyConnections.append(connection)
        }
        let start = connection.outbox!.writerIndex
        do {
            try body(&connection.outbox!)
        } catch {
            connection.outbox!.moveWriterIndex(to: start)
            throw error
        }
        let size = connection.outbox!.writerIndex - start
        guard keep(size) else {
            connection.outbox!.moveWriterIndex(to: start)
            return nil
        }
        statistics.bytesSent &+= UInt64(size)
        statistics.messagesSent += 1
        return size
    }

    /// Sends one message as this client receives it: its version's properties, the remaining expiry,
    /// subscription identifiers and an outgoing topic alias, encoded once. A packet over the client's
    /// maximum packet size is dropped, as MQTT 5.0 3.1.2.11.4 says (and, for QoS 1/2, treated as delivered).
    func sendPublish(_ outgoing: OutgoingMessage, to connection: CoreConnection, duplicate: Bool = false) {
        guard !connection.isClosing else { return }
        let message = outgoing.message
        let version = connection.version
        var properties = Properties()
        if version == .v5 {
            properties = message.properties
            if let expiresAt = message.expiresAt {
                let remaining = max(1, Int(expiresAt.timeIntervalSince(wallNow).rounded(.up)))
                properties = Properties(properties.filter { $0.identifier != .messageExpiryInterval })
                properties.append(.messageExpiryInterval(UInt32(clamping: remaining)))
            }
            for identifier in outgoing.subscriptionIdentifiers { properties.append(.subscriptionIdentifier(identifier)) }
        }
        // The first message on a topic sets an alias, later ones send only the alias. A new alias is
        // remembered only once its packet is known to go out.
        var topic = connection.listener.unmounted(message.topic)
        var newAlias: UInt16?
        if version == .v5 && connection.clientTopicAliasMaximum > 0 {
            if let alias = connection.outgoingAliases[message.topic] {
                topic = ""
                properties.append(.topicAlias(alias))
            } else if connection.outgoingAliases.count < Int(connection.clientTopicAliasMaximum) {
                newAlias = UInt16(connection.outgoingAliases.count + 1)
                properties.append(.topicAlias(newAlias!))
            }
        }
        let packet = PublishPacket(topic: topic, payload: message.payload, qos: message.qos, retain: message.retain,
                                   dup: duplicate, packetID: outgoing.packetID, properties: properties)
        var oversized: Int?
        do {
            let kept = try encode({ try MQTTPacket.publish(packet).write(into: &$0, version: version) }, for: connection) { size in
                guard size > connection.clientMaximumPacketSize else { return true }
                oversized = size
                return false
            }
            guard kept != nil else {
                if let oversized {
                    log(.debug, "Dropped a \(oversized)-byte message for client \(connection.clientID): above its maximum packet size \(connection.clientMaximumPacketSize).")
                    droppedOversized(outgoing, for: connection.clientID)
                }
                return
            }
        } catch {
            log(.error, "Cannot encode a message on \(message.topic) for client \(connection.clientID): \(error).")
            return
        }
        if let newAlias { connection.outgoingAliases[message.topic] = newAlias }
        statistics.publishSent += 1
        connection.publishesSent &+= 1
    }

    /// One incoming QoS 1/2 message was acknowledged (or released).
    func incomingAcknowledged(over connection: CoreConnection) {
        connection.incomingUnacknowledged -= 1
    }

    /// A v5 client keeps to the receive maximum we sent it (an overrun is DISCONNECT 0x93); a 3.1.1 client
    /// has none, so while as many of its acks wait for the store as that window allows, it is not read.
    /// (Not QoS 2 ids awaiting PUBREL: we could then never read the PUBREL that frees them.)
    func heldAcksChanged(of connection: CoreConnection) {
        guard connection.version != .v5 else { return }
        if connection.heldAcks.count >= connection.receiveMaximum {
            pauseReading(connection, .incomingWindow)
        } else {
            resumeReading(connection, .incomingWindow)
        }
    }

    /// The client can take more: move its queued messages into the window (after writability, or after an
    /// outbox that filled up was sent).
    func sendWhatWaits(over connection: CoreConnection) {
        guard case .connected(let session) = connection.state, session.connection === connection else { return }
        pump(session)
    }

    // MARK: Reading paused

    func pauseReading(_ connection: CoreConnection, _ reason: ReadPauses) {
        guard !connection.isClosing, !connection.readPauses.contains(reason) else { return }
        let wasReading = connection.readPauses.isEmpty
        connection.readPauses.insert(reason)
        if reason == .outputFull { connection.outputFullSince = uptime }
        if wasReading { ask(.pauseReading(connection.id)) }
    }

    func resumeReading(_ connection: CoreConnection, _ reason: ReadPauses) {
        guard connection.readPauses.contains(reason) else { return }
        connection.readPauses.remove(reason)
        if reason == .outputFull { connection.outputFullSince = nil }
        guard connection.readPauses.isEmpty, !connection.isClosing else { return }
        // Silence while we were not reading is ours, not the client's.
        connection.lastPacketAt = uptime
        ask(.resumeReading(connection.id))
    }

    // MARK: Closing

    /// Logs why, tells a v5 client with DISCONNECT when there is a reason code, then closes at once: what is
    /// encoded goes out with the close, which never waits for the peer to read it.
    func close(_ connection: CoreConnection, reason: ReasonCode?, log message: String) {
        guard !connection.isClosing else { return }
        log(.notice, message)
        if let reason, connection.version == .v5, case .connected = connection.state {
            write(.disconnect(DisconnectPacket(reasonCode: reason)), to: connection)
        }
        closeQuietly(connection)
    }

    /// Sends what is encoded and closes, with no log line (a client's own DISCONNECT).
    func closeQuietly(_ connection: CoreConnection) {
        guard !connection.isClosing else { return }
        if let outbox = connection.outbox {
            connection.outbox = nil
            ask(.send(connection.id, outbox))
        }
        connection.isClosing = true
        ask(.close(connection.id))
    }

    /// Refuses a CONNECT with a CONNACK carrying `code`, then closes.
    func refuse(_ connection: CoreConnection, code: ReasonCode, log message: String) {
        write(.connAck(ConnAckPacket(reasonCode: code)), to: connection)
        close(connection, reason: nil, log: message)
    }

    /// A new connection took this client id over (MQTT 5.0 3.1.4-3).
    func takeOver(_ connection: CoreConnection) {
        close(connection, reason: .sessionTakenOver, log: "Client \(connection.clientID) already connected, closing old connection.")
        connection.state = .closed
    }
}
