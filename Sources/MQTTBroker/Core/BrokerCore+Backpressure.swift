import MQTTCore
import NIOCore

/// When a message reached nobody because the one subscriber it was for has a full queue, and that
/// subscriber is still taking messages (it acknowledged one within the last second), its publisher
/// stops being read until the queue drains: TCP pushes back on it instead of the broker accepting
/// messages only to drop them (fan-in overload). A message that others received never pauses its
/// publisher, and neither does a stuck or offline subscriber: a slow subscriber never stalls the others.
extension BrokerCore {
    func throttlePublisher(feeding session: BrokerSession) {
        guard let publisher = publishInProgress?.publisher, session.connection != nil, publisher.isOpen,
              let lastAck = session.lastAcknowledgement, lastAck + .seconds(1) > uptime else { return }
        congestedSessions.insert(session.clientID)
        if pausedPublishers[publisher.id] == nil {
            pausedPublishers[publisher.id] = publisher
            pauseReading(publisher, .fanIn)
        }
    }

    /// Called after a session's queue shrank or the session went away: once no congested session is
    /// left above half its limit, every paused publisher is read again.
    func easeBackpressure(after session: BrokerSession) {
        guard !congestedSessions.isEmpty, congestedSessions.contains(session.clientID) else { return }
        let limit = configuration.maxQueuedMessages
        if session.connection != nil && limit > 0 && session.queue.count > limit / 2 { return }
        congestedSessions.remove(session.clientID)
        if congestedSessions.isEmpty { resumePausedPublishers() }
    }

    /// This message is handled; further ones from `publisher` wait unread until the store has caught up.
    func stopReadingWhileStoreFallsBehind(_ publisher: CoreConnection) {
        guard storeStalledPublishers[publisher.id] == nil else { return }
        if storeStalledPublishers.isEmpty { log(.warning, "The database is not keeping up (see the errors above): publishers are not read until it does.") }
        storeStalledPublishers[publisher.id] = publisher
        pauseReading(publisher, .storeBehind)
    }

    /// Once the store keeps up again, its stalled publishers are read again.
    func resumeStoreStalledPublishers() {
        guard !storeStalledPublishers.isEmpty, !storeIsFallingBehind else { return }
        let stalled = storeStalledPublishers.values
        storeStalledPublishers.removeAll()
        for publisher in stalled { resumeReading(publisher, .storeBehind) }
    }

    func resumePausedPublishers() {
        congestedSessions.removeAll()
        let paused = pausedPublishers.values
        pausedPublishers.removeAll()
        for publisher in paused { resumeReading(publisher, .fanIn) }
    }
}
