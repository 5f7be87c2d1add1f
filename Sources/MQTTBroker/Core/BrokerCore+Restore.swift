import Foundation
import MQTTCore

extension BrokerCore {
    /// Puts the stored state back: retained messages, and sessions offline with their subscriptions in the
    /// routing trie, their in-flight messages (resent on reconnect) and their queues.
    func restore(_ state: StoredState, security: ListenerSecurity) {
        for message in state.retained { retained.update(with: message) }
        for stored in state.sessions {
            let session = BrokerSession(clientID: stored.clientID, expiryInterval: stored.expiryInterval,
                                        username: stored.username, security: security)
            session.isStored = true
            session.disconnectedAt = stored.disconnectedAt ?? wallNow
            for subscription in stored.subscriptions {
                session.subscriptions[subscription.filter] = subscription
                _ = try? subscriptions.insert(filter: subscription.filter, key: session.clientID,
                                              value: SubscriberEntry(options: subscription.options, identifier: subscription.identifier))
            }
            for outgoing in stored.outgoing {
                var message = OutgoingMessage(sequence: outgoing.sequence, message: outgoing.message,
                                              subscriptionIdentifiers: outgoing.message.properties.subscriptionIdentifiers,
                                              packetID: outgoing.packetID, released: outgoing.released)
                message.message.properties = Properties(outgoing.message.properties.filter { $0.identifier != .subscriptionIdentifier })
                if let packetID = outgoing.packetID, session.packetIDs.markInUse(packetID) {
                    session.inflight[packetID] = message
                } else {
                    message.packetID = nil
                    message.released = false
                    session.queue.append(message)
                }
                nextSequence = max(nextSequence, outgoing.sequence + 1)
            }
            session.awaitingRelease = Set(stored.awaitingRelease)
            sessions[stored.clientID] = session
        }
        if !state.sessions.isEmpty || !state.retained.isEmpty {
            log(.notice, "Restored \(state.sessions.count) sessions and \(state.retained.count) retained messages from the database.")
        }
    }
}
