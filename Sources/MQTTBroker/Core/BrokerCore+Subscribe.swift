import Foundation
import MQTTCore

extension BrokerCore {
    /// SUBSCRIBE: each filter is checked against the ACL (a filter that can never be allowed is refused:
    /// 0x80, v5 0x87), granted at most the listener's maximum QoS, and answered with the retained messages
    /// its retain handling asks for, after the SUBACK.
    func subscribe(_ packet: SubscribePacket, in session: BrokerSession, over connection: CoreConnection) {
        let v5 = connection.version == .v5
        let identifier = packet.properties.subscriptionIdentifiers.first
        var codes: [ReasonCode] = []
        var retainedReplies: [(filter: String, qos: QoS)] = []
        // MQTT 5.0 3.8.3.1: No Local on a shared subscription is a Protocol Error, which closes the connection.
        if let shared = packet.subscriptions.first(where: { $0.options.noLocal && $0.filter.hasPrefix("$share/") }) {
            close(connection, reason: .protocolError, log: "Client \(session.clientID) set No Local on shared subscription \(shared.filter), disconnecting.")
            return
        }
        for subscription in packet.subscriptions {
            let filter = connection.listener.mountedFilter(subscription.filter)
            let isShared = filter.hasPrefix("$share/")
            guard connection.listener.security.canSubscribe(clientID: session.clientID, username: session.username, filter: filter) else {
                log(.notice, "Denied SUBSCRIBE from \(session.clientID) to \(filter): not authorised.")
                codes.append(v5 ? .notAuthorized : .unspecifiedError)
                continue
            }
            var options = subscription.options
            options.qos = min(options.qos, connection.listener.maximumQoS)
            if connection.isBridge && !isShared {
                // Another broker's bridge (mosquitto's try_private): what it sent never goes back to it, and retained
                // messages keep their flag, so the two brokers neither loop nor lose retained state (as mosquitto).
                options.noLocal = true
                options.retainAsPublished = true
            }
            let existed: Bool
            do {
                existed = try subscriptions.insert(filter: filter, key: session.clientID,
                                                   value: SubscriberEntry(options: options, identifier: identifier)) != nil
            } catch {
                codes.append(v5 ? .topicFilterInvalid : .unspecifiedError)
                continue
            }
            let stored = StoredSubscription(filter: filter, options: options, identifier: identifier)
            session.subscriptions[filter] = stored
            record(.putSubscription(clientID: session.clientID, stored), for: session)
            codes.append(ReasonCode(rawValue: options.qos.rawValue))
            log(.subscribe, "\(session.clientID) \(options.qos.rawValue) \(filter)")
            let wantsRetained = switch options.retainHandling {
            case .sendOnSubscribe: true
            case .sendOnNewSubscribe: !existed
            case .doNotSend: false
            }
            // MQTT 5.0 4.8.2: shared subscriptions never receive retained messages.
            if wantsRetained && !isShared { retainedReplies.append((filter, options.qos)) }
        }
        write(.subAck(SubAckPacket(packetID: packet.packetID, reasonCodes: codes)), to: connection)
        for reply in retainedReplies {
            sendRetained(matching: reply.filter, qos: reply.qos, identifier: identifier, to: session)
        }
    }

    private func sendRetained(matching filter: String, qos: QoS, identifier: Int?, to session: BrokerSession) {
        let now = wallNow
        for message in retained.matching(filter: filter) {
            if let expiry = message.expiresAt, expiry <= now { continue }
            guard session.security.canRead(clientID: session.clientID, username: session.username, topic: message.topic) else { continue }
            deliver(message, to: session, qos: min(message.qos, qos), retain: true, identifiers: identifier.map { [$0] } ?? [])
        }
    }

    func unsubscribe(_ packet: UnsubscribePacket, in session: BrokerSession, over connection: CoreConnection) {
        var codes: [ReasonCode] = []
        for filter in packet.filters.map(connection.listener.mountedFilter) {
            let existed = subscriptions.remove(filter: filter, key: session.clientID) != nil
            session.subscriptions.removeValue(forKey: filter)
            if existed { record(.removeSubscription(clientID: session.clientID, filter: filter), for: session) }
            codes.append(existed ? .success : .noSubscriptionExisted)
            log(.unsubscribe, "\(session.clientID) \(filter)")
        }
        write(.unsubAck(UnsubAckPacket(packetID: packet.packetID, reasonCodes: codes)), to: connection)
    }
}
