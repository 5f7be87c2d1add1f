import Foundation
import MQTTCore
import NIOCore

extension BrokerCore {
    /// A client's PUBLISH: size limit and ACL, routing, then the acknowledgement for its QoS — once
    /// what the message changed is committed, when persistence is on (durable before acknowledged).
    func publish(_ publish: PublishPacket, topic: String, in session: BrokerSession, over connection: CoreConnection) {
        statistics.publishReceived += 1
        connection.publishesReceived &+= 1
        if storeIsFallingBehind { stopReadingWhileStoreFallsBehind(connection) }
        let packetID = publish.packetID ?? 0
        if publish.qos == .exactlyOnce && session.awaitingRelease.contains(packetID) {
            // A resent QoS 2 message we already have: acknowledge again, deliver nothing twice.
            acknowledge(publish.qos, packetID: packetID, reason: .success, session: session, connection: connection,
                        effects: PublishEffects(), afterCommit: !connection.heldAcks.isEmpty)
            return
        }
        var reason = ReasonCode.success
        var effects = PublishEffects()
        let limit = configuration.messageSizeLimit
        if limit > 0 && publish.payload.readableBytes > limit {
            log(.notice, "Client \(session.clientID) sent a \(publish.payload.readableBytes)-byte message on \(topic), above message_size_limit \(limit): dropped.")
            reason = .packetTooLarge
        } else if !connection.listener.security.canPublish(clientID: session.clientID, username: session.username, topic: topic) {
            log(.notice, "Denied PUBLISH from \(session.clientID) on \(topic): not authorised.")
            reason = .notAuthorized
        } else {
            publishInProgress = PublishInProgress(publisher: connection)
            let receivers = route(message(from: publish, topic: topic), from: session.clientID)
            effects = publishInProgress!.effects
            publishInProgress = nil
            if receivers == 0 { reason = .noMatchingSubscribers }
        }
        let mustWait = !effects.enqueued.isEmpty || effects.needsCommit || !connection.heldAcks.isEmpty
        acknowledge(publish.qos, packetID: packetID, reason: reason, session: session, connection: connection,
                    effects: effects, afterCommit: mustWait)
    }

    /// The message as the broker keeps it: no topic alias, and an absolute expiry instead of an interval.
    private func message(from publish: PublishPacket, topic: String) -> StoredMessage {
        var properties = publish.properties
        var expiresAt: Date?
        if !properties.isEmpty {
            properties = Properties(properties.filter { $0.identifier != .topicAlias })
            if let interval = properties.messageExpiryInterval {
                expiresAt = wallNow.addingTimeInterval(TimeInterval(interval))
            }
        }
        return StoredMessage(topic: topic, payload: publish.payload, qos: publish.qos, retain: publish.retain,
                             properties: properties, expiresAt: expiresAt)
    }

    /// With `afterCommit` the ack waits until the store has committed what the message changed (and keeps
    /// this connection's acks in order behind earlier ones still waiting); without, it goes out at once.
    private func acknowledge(_ qos: QoS, packetID: UInt16, reason: ReasonCode, session: BrokerSession, connection: CoreConnection,
                             effects: PublishEffects, afterCommit: Bool) {
        guard qos != .atMostOnce else { return }
        var afterCommit = afterCommit
        var effects = effects
        if qos == .exactlyOnce && !reason.isFailure && session.awaitingRelease.insert(packetID).inserted {
            record(.awaitRelease(clientID: session.clientID, packetID: packetID), for: session)
            afterCommit = afterCommit || session.isStored
            effects.needsCommit = effects.needsCommit || session.isStored
        }
        // 3.1.1 has no reason codes: a refused message is acknowledged and dropped, as mosquitto does.
        let code = connection.version == .v5 ? reason : .success
        let ack = AckPacket(packetID: packetID, reasonCode: code)
        let packet: MQTTPacket = qos == .atLeastOnce ? .pubAck(ack) : .pubRec(ack)
        let freesQuota = qos == .atLeastOnce || reason.isFailure
        guard isPersistent, afterCommit else {
            send(packet, freeingQuota: freesQuota, over: connection)
            return
        }
        hold(packet, freesQuota: freesQuota, over: connection, waitingFor: effects)
    }

    func send(_ packet: MQTTPacket, freeingQuota: Bool, over connection: CoreConnection) {
        if freeingQuota { incomingAcknowledged(over: connection) }
        write(packet, to: connection)
    }

    /// PUBREL for an incoming QoS 2 message: forget its id and complete with PUBCOMP.
    func releaseArrived(_ packetID: UInt16, in session: BrokerSession, over connection: CoreConnection) {
        let known = session.awaitingRelease.remove(packetID) != nil
        if known {
            record(.releaseArrived(clientID: session.clientID, packetID: packetID), for: session)
            incomingAcknowledged(over: connection)
        }
        let code: ReasonCode = known || connection.version != .v5 ? .success : .packetIdentifierNotFound
        write(.pubComp(AckPacket(packetID: packetID, reasonCode: code)), to: connection)
    }

    /// PUBACK (QoS 1) or PUBCOMP (QoS 2): the message is delivered; the window has room again.
    func acknowledged(_ packetID: UInt16, in session: BrokerSession) {
        session.lastAcknowledgement = uptime
        forgetInFlight(packetID, in: session)
        pump(session)
    }

    private func forgetInFlight(_ packetID: UInt16, in session: BrokerSession) {
        guard let outgoing = session.inflight.removeValue(forKey: packetID) else { return }
        _ = session.packetIDs.release(packetID)
        record(.removeOutgoing(clientID: session.clientID, sequence: outgoing.sequence), for: session)
        deliveryAcknowledged(sequence: outgoing.sequence)
    }

    /// PUBREC: the client has the message; answer PUBREL and wait for PUBCOMP. A failure code ends the flow.
    func publishReceived(_ ack: AckPacket, in session: BrokerSession, over connection: CoreConnection) {
        guard var outgoing = session.inflight[ack.packetID] else {
            let code: ReasonCode = connection.version == .v5 ? .packetIdentifierNotFound : .success
            write(.pubRel(AckPacket(packetID: ack.packetID, reasonCode: code)), to: connection)
            return
        }
        if ack.reasonCode.isFailure {
            acknowledged(ack.packetID, in: session)
            return
        }
        if !outgoing.released {
            outgoing.released = true
            session.inflight[ack.packetID] = outgoing
            record(.markReleased(clientID: session.clientID, sequence: outgoing.sequence), for: session)
        }
        write(.pubRel(AckPacket(packetID: ack.packetID)), to: connection)
    }

    /// A message the client's maximum packet size cannot take counts as delivered (MQTT 5.0 3.1.2.11.4).
    func droppedOversized(_ outgoing: OutgoingMessage, for clientID: String) {
        statistics.dropped(because: .oversized)
        guard let packetID = outgoing.packetID, let session = sessions[clientID] else { return }
        // No pump here: this runs inside one, which goes on with the next queued message.
        forgetInFlight(packetID, in: session)
    }
}
