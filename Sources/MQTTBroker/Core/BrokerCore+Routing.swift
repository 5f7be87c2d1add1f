import Foundation
import MQTTCore

/// One receiving session for one message, after overlapping subscriptions are merged.
struct Delivery {
    var session: BrokerSession
    var qos: QoS
    var retainAsPublished: Bool
    var identifiers: [Int]
}

/// Buffers kept between publishes so that routing allocates nothing per receiver in the common case.
struct RouteScratch {
    var deliveries: [Delivery] = []
    var indexByClient: [String: Int] = [:]
    var shareCandidates: [String: [Delivery]] = [:]

    mutating func reset() {
        deliveries.removeAll(keepingCapacity: true)
        indexByClient.removeAll(keepingCapacity: true)
        shareCandidates.removeAll(keepingCapacity: true)
    }
}

extension BrokerCore {
    /// Routes a message to every matching subscription and updates the retained store.
    ///
    /// - Parameter origin: the publishing client's id (for no-local), nil for the broker's own messages.
    /// - Returns: how many sessions it was delivered or queued to.
    @discardableResult
    func route(_ message: StoredMessage, from origin: String?) -> Int {
        if message.retain { updateRetained(message) }
        var scratch = routeScratch
        routeScratch = RouteScratch()
        defer {
            scratch.reset()
            routeScratch = scratch
        }
        collectDeliveries(for: message, from: origin, into: &scratch)
        var receivers = 0
        var accepted = 0
        var fullQueue: BrokerSession?
        for delivery in scratch.deliveries where delivery.session.security.canRead(
            clientID: delivery.session.clientID, username: delivery.session.username, topic: message.topic) {
            switch deliver(message, to: delivery.session, qos: min(message.qos, delivery.qos),
                           retain: delivery.retainAsPublished && message.retain, identifiers: delivery.identifiers) {
            case .accepted: accepted += 1
            case .queueFull: fullQueue = delivery.session
            case .dropped: break
            }
            receivers += 1
        }
        // Only a message nobody could take slows its publisher down: one that others got must keep flowing.
        if accepted == 0, let fullQueue { throttlePublisher(feeding: fullQueue) }
        return receivers
    }

    enum DeliveryOutcome {
        case accepted
        case queueFull
        case dropped
    }

    func updateRetained(_ message: StoredMessage) {
        guard configuration.retainAvailable else { return }
        retained.update(with: message)
        guard isPersistent, !message.topic.hasPrefix("$") else { return }
        if message.payload.readableBytes == 0 {
            persist(.clearRetained(topic: message.topic))
        } else {
            persist(.setRetained(message))
        }
    }

    /// One delivery per session: overlapping subscriptions give the highest QoS and every identifier
    /// (MQTT 5.0 3.3.4); each share group gives one member, taken in turn, connected members first.
    private func collectDeliveries(for message: StoredMessage, from origin: String?, into scratch: inout RouteScratch) {
        subscriptions.forEachMatch(topic: message.topic) { match in
            let options = match.value.options
            if options.noLocal && match.key == origin { return }
            guard let session = sessions[match.key] else { return }
            let identifiers = match.value.identifier.map { [$0] } ?? []
            let delivery = Delivery(session: session, qos: options.qos, retainAsPublished: options.retainAsPublished,
                                    identifiers: identifiers)
            if let group = match.shareGroup {
                scratch.shareCandidates[group, default: []].append(delivery)
                return
            }
            if let index = scratch.indexByClient[match.key] {
                scratch.deliveries[index].qos = max(scratch.deliveries[index].qos, options.qos)
                scratch.deliveries[index].retainAsPublished = scratch.deliveries[index].retainAsPublished || options.retainAsPublished
                scratch.deliveries[index].identifiers += identifiers
            } else {
                scratch.indexByClient[match.key] = scratch.deliveries.count
                scratch.deliveries.append(delivery)
            }
        }
        for (group, candidates) in scratch.shareCandidates {
            let chosen = chooseShareMember(group: group, candidates: candidates)
            scratch.deliveries.append(chosen)
        }
    }

    private func chooseShareMember(group: String, candidates: [Delivery]) -> Delivery {
        // Sorted so that "in turn" means the same order every time, whatever order the trie reports.
        let ordered = candidates.sorted { $0.session.clientID < $1.session.clientID }
        let connected = ordered.filter { $0.session.connection != nil }
        let pool = connected.isEmpty ? ordered : connected
        let cursor = shareCursor[group, default: 0]
        shareCursor[group] = cursor &+ 1
        return pool[cursor % pool.count]
    }

    /// Sends at once when the client has room, queues otherwise (bounded), drops what cannot be kept.
    @discardableResult
    func deliver(_ message: StoredMessage, to session: BrokerSession, qos: QoS, retain: Bool, identifiers: [Int]) -> DeliveryOutcome {
        var copy = message
        copy.qos = qos
        copy.retain = retain
        var outgoing = OutgoingMessage(sequence: 0, message: copy, subscriptionIdentifiers: identifiers)
        if qos == .atMostOnce {
            if let connection = session.connection {
                guard connection.isAcceptingQoS0 else {
                    dropped(session, .slowReader, reason: "the client is not reading fast enough")
                    return .dropped
                }
                sendPublish(outgoing, to: connection)
                return .accepted
            } else if configuration.queueQoS0Messages && session.expiryInterval > 0 {
                return enqueue(outgoing, in: session)
            }
            return .dropped
        }
        outgoing.sequence = takeSequence()
        if let connection = session.connection, session.queue.isEmpty, session.inflight.count < connection.sendQuota,
           connection.isAcceptingQoS0 {
            record(.enqueue(clientID: session.clientID, sequence: outgoing.sequence, storable(outgoing)), for: session)
            sendInFlight(outgoing, in: session, over: connection)
            return .accepted
        }
        return enqueue(outgoing, in: session)
    }

    /// The message as stored for a session: its subscription identifiers ride along in the properties.
    func storable(_ outgoing: OutgoingMessage) -> StoredMessage {
        var message = outgoing.message
        for identifier in outgoing.subscriptionIdentifiers {
            message.properties.append(.subscriptionIdentifier(identifier))
        }
        return message
    }

    private func enqueue(_ outgoing: OutgoingMessage, in session: BrokerSession) -> DeliveryOutcome {
        let limit = configuration.maxQueuedMessages
        let byteLimit = configuration.maxQueuedBytes
        let size = outgoing.message.payload.readableBytes
        if (limit > 0 && session.queue.count >= limit) || (byteLimit > 0 && session.queuedBytes + size > byteLimit) {
            dropped(session, .queueFull, reason: "its queue is full (max_queued_messages \(limit))")
            return .queueFull
        }
        var kept = outgoing
        kept.message = outgoing.message.compacted()
        session.queue.append(kept)
        session.queuedBytes += size
        if outgoing.qos != .atMostOnce {
            record(.enqueue(clientID: session.clientID, sequence: outgoing.sequence, storable(outgoing)), for: session)
        }
        return .accepted
    }

    private func dropped(_ session: BrokerSession, _ why: DropReason, reason: String) {
        statistics.dropped(because: why)
        session.dropsSinceLog += 1
        session.droppedTotal += 1
        let now = wallNow
        if session.lastDropLog.map({ now.timeIntervalSince($0) >= 10 }) ?? true {
            log(.notice, "Outgoing messages are being dropped for client \(session.clientID): \(reason) (\(session.dropsSinceLog) since the last report).")
            session.lastDropLog = now
            session.dropsSinceLog = 0
        }
    }

    /// Gives the message a packet id, remembers it until acknowledged, and sends it.
    private func sendInFlight(_ outgoing: OutgoingMessage, in session: BrokerSession, over connection: CoreConnection) {
        guard let packetID = session.packetIDs.next() else {
            session.queue.prepend(outgoing)
            return
        }
        var message = outgoing
        message.packetID = packetID
        session.inflight[packetID] = message
        record(.markSent(clientID: session.clientID, sequence: message.sequence, packetID: packetID), for: session)
        sendPublish(message, to: connection)
    }

    /// Moves queued messages into the client's receive window while there is room.
    func pump(_ session: BrokerSession) {
        guard let connection = session.connection else { return }
        let now = wallNow
        while let next = session.queue.first {
            if next.qos != .atMostOnce && session.inflight.count >= connection.sendQuota { break }
            guard connection.isAcceptingQoS0 else { break }
            session.queue.removeFirst()
            session.queuedBytes -= next.message.payload.readableBytes
            if let expiry = next.message.expiresAt, expiry <= now {
                if next.qos != .atMostOnce {
                    record(.removeOutgoing(clientID: session.clientID, sequence: next.sequence), for: session)
                }
                continue
            }
            if next.qos == .atMostOnce {
                sendPublish(next, to: connection)
            } else {
                sendInFlight(next, in: session, over: connection)
            }
        }
        easeBackpressure(after: session)
    }
}
