import MQTTCore

/// A read-only copy of what the broker holds per client: enough for a harness outside this module (the
/// broker fuzz target) to check the memory bounds and that no acknowledged message vanished.
public struct BrokerSnapshot: Sendable {
    public struct Session: Sendable {
        public var clientID: String
        public var username: String?
        public var expiryInterval: UInt32
        public var subscriptions: [StoredSubscription]
        /// Waiting for room in the receive window or for the client to come back.
        public var queued: [StoredMessage]
        public var queuedBytes: Int
        /// Sent with a packet id and not yet acknowledged.
        public var inflight: [StoredMessage]
        /// Incoming QoS 2 ids awaiting PUBREL.
        public var awaitingRelease: Set<UInt16>
        public var connection: Connection?
    }

    /// The attached connection's flow-control state.
    public struct Connection: Sendable {
        public var version: MQTTVersion
        /// Outgoing QoS 1/2 the client accepts at once.
        public var sendQuota: Int
        /// Incoming QoS 1/2 we accept at once, and how many are unacknowledged now.
        public var receiveMaximum: Int
        public var incomingUnacknowledged: Int
        /// PUBACK / PUBREC held back until their messages are safe.
        public var heldAcks: Int
    }

    public var sessions: [String: Session]
    public var publishDropped: UInt64
    /// Held acks waiting for a subscriber's acknowledgement, broker-wide.
    public var deliveryWaiters: Int
    public var pausedPublishers: Int
}

extension Broker {
    /// Call on the broker's event loop.
    public func snapshot() -> BrokerSnapshot {
        eventLoop.preconditionInEventLoop()
        var sessions: [String: BrokerSnapshot.Session] = [:]
        for (clientID, session) in core.sessions {
            let connection = session.connection.map {
                BrokerSnapshot.Connection(version: $0.version, sendQuota: $0.sendQuota, receiveMaximum: $0.receiveMaximum,
                                          incomingUnacknowledged: $0.incomingUnacknowledged, heldAcks: $0.heldAcks.count)
            }
            sessions[clientID] = BrokerSnapshot.Session(
                clientID: clientID, username: session.username, expiryInterval: session.expiryInterval,
                subscriptions: Array(session.subscriptions.values), queued: session.queue.map(\.message),
                queuedBytes: session.queuedBytes, inflight: session.inflightInOrder.map(\.message),
                awaitingRelease: session.awaitingRelease, connection: connection)
        }
        return BrokerSnapshot(sessions: sessions, publishDropped: core.statistics.publishDropped,
                              deliveryWaiters: core.deliveryWaiters.count, pausedPublishers: core.pausedPublishers.count)
    }
}
