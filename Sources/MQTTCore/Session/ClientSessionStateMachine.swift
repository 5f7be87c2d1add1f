import NIOCore

/// The client's half of an MQTT session: which of our QoS 1/2 messages are unacknowledged, which
/// incoming QoS 2 messages await PUBREL, and the ids in use. It outlives a connection so that a
/// reconnect with a kept session can resend what was in flight (spec 4.4).
///
/// Pure: every event returns what to send and what to report; the caller does the IO.
public struct ClientSessionStateMachine: Sendable {
    /// Where one of our outgoing QoS 1/2 messages stands.
    public enum OutgoingState: Sendable, Hashable {
        /// QoS 1 sent, PUBACK outstanding.
        case awaitingPubAck(PublishPacket)
        /// QoS 2 sent, PUBREC outstanding.
        case awaitingPubRec(PublishPacket)
        /// PUBREL sent, PUBCOMP outstanding.
        case awaitingPubComp
        /// A relayed QoS 2 message the peer has (PUBREC in); its PUBREL waits for `relayRelease`.
        case awaitingRelease
    }

    /// What the caller does after sending an outgoing message.
    public enum SendAction: Sendable, Hashable {
        /// Write this packet now (its id is assigned).
        case send(PublishPacket)
        /// The peer's receive maximum is reached: the message waits and is sent when an ack frees a slot.
        case queued(PublishPacket)
        /// All 65 535 ids are in flight.
        case noPacketIDAvailable
    }

    /// What the caller does after an incoming packet.
    public struct ReceiveAction: Sendable, Hashable {
        /// Packets to write, in order (acks, PUBREL, queued publishes now allowed).
        public var send: [MQTTPacket] = []
        /// A message to hand to the application (at most once for QoS 2).
        public var deliver: PublishPacket?
        /// An outgoing exchange finished, with the final reason code (PUBACK's or PUBCOMP's, or a failing PUBREC's).
        public var completed: Completion?
    }

    public struct Completion: Sendable, Hashable {
        public var id: UInt16
        public var reasonCode: ReasonCode

        public init(id: UInt16, reasonCode: ReasonCode) {
            self.id = id
            self.reasonCode = reasonCode
        }
    }

    /// What the caller does when a new connection is up.
    public struct ResumeAction: Sendable, Hashable {
        /// Packets to write, in order: resent PUBLISH/PUBREL first, then waiting messages now allowed.
        public var send: [MQTTPacket] = []
        /// Exchanges that ended with the lost session (QoS 2 past PUBREC), so their waiters are not left hanging.
        public var completed: [Completion] = []
        /// Incoming QoS 2 messages held for a PUBREL that the lost session will never send, in arrival order.
        public var deliver: [PublishPacket] = []
    }

    private var ids = PacketIDAllocator()
    /// Outgoing exchanges in the order they started, which is the order to resend them in.
    private var outgoingOrder: [UInt16] = []
    private var outgoing: [UInt16: OutgoingState] = [:]
    /// Messages waiting for a free slot under the peer's receive maximum.
    private var waiting: [PublishPacket] = []
    /// Outgoing QoS 2 ids whose PUBREL is the caller's to send (`relay`); their PUBREC ends a first stage.
    private var relayed: Set<UInt16> = []
    /// Ids the caller will relay on this connection (`reserveForRelay`): taken, so that none of our own packets uses them.
    private var reservedForRelay: Set<UInt16> = []
    /// Incoming QoS 2 messages held until their PUBREL (spec 4.3.3 method A, as mosquitto's clients do):
    /// a resent PUBLISH with the same id replaces nothing and is never delivered twice.
    private var incomingQoS2: [UInt16: PublishPacket] = [:]
    /// Their ids in the order they arrived, to hand them over in that order if the session is lost.
    private var incomingQoS2Order: [UInt16] = []
    /// The broker's receive maximum: how many of our QoS 1/2 messages may be unacknowledged at once.
    public var sendQuota: Int = 65_535

    public init() {}

    public var inFlightCount: Int { outgoing.count }
    public var waitingCount: Int { waiting.count }
    public func state(of id: UInt16) -> OutgoingState? { outgoing[id] }
    /// Whether `id` belongs to an exchange in flight (or waiting) here.
    public func isInUse(_ id: UInt16) -> Bool { ids.isInUse(id) }
    /// Whether a message carrying `id` can be relayed now: no exchange of our own holds the id.
    public func canRelay(_ id: UInt16) -> Bool { !ids.isInUse(id) || reservedForRelay.contains(id) }

    /// Starts sending `message`: QoS 0 passes straight through; QoS 1/2 get an id and are tracked.
    public mutating func send(_ message: PublishPacket) -> SendAction {
        guard message.qos != .atMostOnce else {
            var message = message
            message.packetID = nil
            return .send(message)
        }
        guard let id = ids.next() else { return .noPacketIDAvailable }
        var message = message
        message.packetID = id
        if outgoing.count >= sendQuota {
            waiting.append(message)
            return .queued(message)
        }
        track(message)
        return .send(message)
    }

    /// Starts sending a message that keeps the packet id it carries, for a bridge that passes on another
    /// session's exchange: resent after a crash with that same id, the peer recognises a QoS 2 message it already
    /// has. For QoS 2 the exchange stops at PUBREC (reported as completed) until `relayRelease`. An id still taken
    /// here (by an exchange of our own) is refused as `noPacketIDAvailable`: the caller keeps its own ids apart.
    public mutating func relay(_ message: PublishPacket) -> SendAction {
        guard message.qos != .atMostOnce else { return send(message) }
        guard let id = message.packetID, id != 0 else { return send(message) }
        if reservedForRelay.remove(id) == nil {
            guard ids.markInUse(id) else { return .noPacketIDAvailable }
        }
        if message.qos == .exactlyOnce { relayed.insert(id) }
        if outgoing.count >= sendQuota {
            waiting.append(message)
            return .queued(message)
        }
        track(message)
        return .send(message)
    }

    /// A relayed QoS 2 exchange whose PUBREL is to come, perhaps begun on an earlier connection: its id is taken
    /// and it counts towards the peer's receive maximum (the peer holds the message) until `relayRelease`.
    public mutating func relayHold(_ id: UInt16) {
        guard outgoing[id] == nil else { return }
        reservedForRelay.remove(id)
        ids.markInUse(id)
        outgoingOrder.append(id)
        outgoing[id] = .awaitingRelease
    }

    /// The PUBREL of a relayed QoS 2 exchange: after its PUBREC, or for an id this machine never saw (the
    /// exchange began on an earlier connection or before a restart). Its PUBCOMP completes it.
    public mutating func relayRelease(_ id: UInt16) -> MQTTPacket {
        relayHold(id)
        relayed.remove(id)
        outgoing[id] = .awaitingPubComp
        return .pubRel(AckPacket(packetID: id))
    }

    /// Keeps `id` from our own packets until it is relayed (`relay`, `relayHold`): the peer's kept session may
    /// still hold another session's exchange under it (a QoS 2 message awaiting PUBREL), which is resent on this
    /// connection. A new message of ours under that id would be taken for it, or refused as a protocol error.
    public mutating func reserveForRelay(_ id: UInt16) {
        if ids.markInUse(id) { reservedForRelay.insert(id) }
    }

    /// Takes an id for a SUBSCRIBE or UNSUBSCRIBE; release it with `releaseID` when its ack arrives.
    public mutating func allocateID() -> UInt16? { ids.next() }
    public mutating func releaseID(_ id: UInt16) { ids.release(id) }

    private mutating func track(_ message: PublishPacket) {
        let id = message.packetID!
        outgoing[id] = message.qos == .atLeastOnce ? .awaitingPubAck(message) : .awaitingPubRec(message)
        outgoingOrder.append(id)
    }

    private mutating func finish(_ id: UInt16, reasonCode: ReasonCode, into action: inout ReceiveAction) {
        outgoing[id] = nil
        outgoingOrder.removeAll { $0 == id }
        ids.release(id)
        relayed.remove(id)
        action.completed = Completion(id: id, reasonCode: reasonCode)
        // A freed slot lets the oldest waiting message go.
        while outgoing.count < sendQuota, !waiting.isEmpty {
            let next = waiting.removeFirst()
            track(next)
            action.send.append(.publish(next))
        }
    }

    /// PUBACK for one of our QoS 1 messages. An unknown id is ignored (a duplicate ack after a resend).
    public mutating func receivedPubAck(_ ack: AckPacket) -> ReceiveAction {
        finish(ack, ifItAnswers: { if case .awaitingPubAck = $0 { true } else { false } })
    }

    /// PUBREC: answer with PUBREL, unless the broker refused the message (reason >= 0x80), which ends the exchange.
    public mutating func receivedPubRec(_ ack: AckPacket) -> ReceiveAction {
        var action = ReceiveAction()
        switch outgoing[ack.packetID] {
        case .awaitingPubRec:
            if ack.reasonCode.isFailure {
                finish(ack.packetID, reasonCode: ack.reasonCode, into: &action)
            } else if relayed.contains(ack.packetID) {
                // The peer has the message: the caller makes it durable on its side before releasing it.
                outgoing[ack.packetID] = .awaitingRelease
                action.completed = Completion(id: ack.packetID, reasonCode: ack.reasonCode)
            } else {
                outgoing[ack.packetID] = .awaitingPubComp
                action.send.append(.pubRel(AckPacket(packetID: ack.packetID)))
            }
        case .awaitingPubComp:
            action.send.append(.pubRel(AckPacket(packetID: ack.packetID)))
        case .awaitingRelease:
            break
        default:
            // Spec 4.3.3: a PUBREC for an id we do not know still gets a PUBREL, with "not found".
            action.send.append(.pubRel(AckPacket(packetID: ack.packetID, reasonCode: .packetIdentifierNotFound)))
        }
        return action
    }

    /// PUBCOMP for a PUBREL of ours; in any other state (or for an unknown id) it is ignored.
    public mutating func receivedPubComp(_ ack: AckPacket) -> ReceiveAction {
        finish(ack, ifItAnswers: { $0 == .awaitingPubComp })
    }

    /// Ends the exchange `ack` closes when its message is in a state `answers` accepts; else changes nothing.
    private mutating func finish(_ ack: AckPacket, ifItAnswers answers: (OutgoingState) -> Bool) -> ReceiveAction {
        var action = ReceiveAction()
        if let state = outgoing[ack.packetID], answers(state) { finish(ack.packetID, reasonCode: ack.reasonCode, into: &action) }
        return action
    }

    /// An incoming PUBLISH: deliver it and acknowledge it as its QoS asks. QoS 2 is held and delivered
    /// on PUBREL, so it is delivered once even when the broker resends it before our PUBREC reached it.
    public mutating func receivedPublish(_ message: PublishPacket) -> ReceiveAction {
        var action = ReceiveAction()
        switch message.qos {
        case .atMostOnce:
            action.deliver = message
        case .atLeastOnce:
            action.deliver = message
            action.send.append(.pubAck(AckPacket(packetID: message.packetID!)))
        case .exactlyOnce:
            let id = message.packetID!
            if incomingQoS2[id] == nil {
                incomingQoS2[id] = message
                incomingQoS2Order.append(id)
            }
            action.send.append(.pubRec(AckPacket(packetID: id)))
        }
        return action
    }

    public mutating func receivedPubRel(_ ack: AckPacket) -> ReceiveAction {
        var action = ReceiveAction()
        let held = incomingQoS2.removeValue(forKey: ack.packetID)
        if held != nil { incomingQoS2Order.removeAll { $0 == ack.packetID } }
        action.deliver = held
        action.send.append(.pubComp(AckPacket(packetID: ack.packetID, reasonCode: held != nil ? .success : .packetIdentifierNotFound)))
        return action
    }

    /// A new connection is up. With the session kept, everything unacknowledged is sent again:
    /// PUBLISH with DUP set, PUBREL for messages past PUBREC. Without it the broker forgot every
    /// exchange, so unacknowledged messages start over (new exchanges, DUP clear) and the incoming
    /// QoS 2 state is dropped (spec 4.1: the session state is discarded), its held messages delivered.
    public mutating func connectionResumed(sessionPresent: Bool, sendQuota: Int) -> ResumeAction {
        self.sendQuota = sendQuota
        var action = ResumeAction()
        if !sessionPresent {
            // Our PUBREC took the message over and the broker kept only the id; with that gone no PUBREL
            // (and no resend) will come, so this copy is the last one: deliver it rather than lose it.
            action.deliver = incomingQoS2Order.compactMap { incomingQoS2[$0] }
            incomingQoS2.removeAll()
            incomingQoS2Order.removeAll()
        }
        for id in outgoingOrder {
            switch outgoing[id] {
            case .awaitingPubAck(var message), .awaitingPubRec(var message):
                message.dup = sessionPresent
                action.send.append(.publish(message))
            case .awaitingPubComp:
                if sessionPresent { action.send.append(.pubRel(AckPacket(packetID: id))) }
            case .awaitingRelease, nil: break
            }
        }
        if !sessionPresent {
            // A PUBREL-stage message was accepted by the broker (its PUBREC said so); with the broker's
            // state gone there is nothing left to finish, so it ends here as a success.
            for id in outgoingOrder where outgoing[id] == .awaitingPubComp || outgoing[id] == .awaitingRelease {
                outgoing[id] = nil
                ids.release(id)
                action.completed.append(Completion(id: id, reasonCode: .success))
            }
            outgoingOrder.removeAll { outgoing[$0] == nil }
        }
        while outgoing.count < self.sendQuota, !waiting.isEmpty {
            let next = waiting.removeFirst()
            track(next)
            action.send.append(.publish(next))
        }
        return action
    }

    /// Ids of every outgoing message, for failing their waiters when the session is given up.
    public mutating func abandonAll() -> [UInt16] {
        let all = outgoingOrder + waiting.compactMap(\.packetID)
        for id in all + reservedForRelay { ids.release(id) }
        reservedForRelay.removeAll()
        outgoing.removeAll()
        outgoingOrder.removeAll()
        waiting.removeAll()
        relayed.removeAll()
        incomingQoS2.removeAll()
        incomingQoS2Order.removeAll()
        return all
    }
}
