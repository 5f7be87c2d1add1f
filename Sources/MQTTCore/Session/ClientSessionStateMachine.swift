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
    }

    private var ids = PacketIDAllocator()
    /// Outgoing exchanges in the order they started, which is the order to resend them in.
    private var outgoingOrder: [UInt16] = []
    private var outgoing: [UInt16: OutgoingState] = [:]
    /// Messages waiting for a free slot under the peer's receive maximum.
    private var waiting: [PublishPacket] = []
    /// Incoming QoS 2 messages held until their PUBREL (spec 4.3.3 method B, as mosquitto's clients do):
    /// a resent PUBLISH with the same id replaces nothing and is never delivered twice.
    private var incomingQoS2: [UInt16: PublishPacket] = [:]
    /// The broker's receive maximum: how many of our QoS 1/2 messages may be unacknowledged at once.
    public var sendQuota: Int = 65_535

    public init() {}

    public var inFlightCount: Int { outgoing.count }
    public var waitingCount: Int { waiting.count }
    public func state(of id: UInt16) -> OutgoingState? { outgoing[id] }

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
        var action = ReceiveAction()
        guard case .awaitingPubAck = outgoing[ack.packetID] else { return action }
        finish(ack.packetID, reasonCode: ack.reasonCode, into: &action)
        return action
    }

    /// PUBREC: answer with PUBREL, unless the broker refused the message (reason >= 0x80), which ends the exchange.
    public mutating func receivedPubRec(_ ack: AckPacket) -> ReceiveAction {
        var action = ReceiveAction()
        switch outgoing[ack.packetID] {
        case .awaitingPubRec:
            if ack.reasonCode.isFailure {
                finish(ack.packetID, reasonCode: ack.reasonCode, into: &action)
            } else {
                outgoing[ack.packetID] = .awaitingPubComp
                action.send.append(.pubRel(AckPacket(packetID: ack.packetID)))
            }
        case .awaitingPubComp:
            action.send.append(.pubRel(AckPacket(packetID: ack.packetID)))
        default:
            // Spec 4.3.3: a PUBREC for an id we do not know still gets a PUBREL, with "not found".
            action.send.append(.pubRel(AckPacket(packetID: ack.packetID, reasonCode: .packetIdentifierNotFound)))
        }
        return action
    }

    public mutating func receivedPubComp(_ ack: AckPacket) -> ReceiveAction {
        var action = ReceiveAction()
        guard case .awaitingPubComp = outgoing[ack.packetID] else { return action }
        finish(ack.packetID, reasonCode: ack.reasonCode, into: &action)
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
            if incomingQoS2[id] == nil { incomingQoS2[id] = message }
            action.send.append(.pubRec(AckPacket(packetID: id)))
        }
        return action
    }

    public mutating func receivedPubRel(_ ack: AckPacket) -> ReceiveAction {
        var action = ReceiveAction()
        let held = incomingQoS2.removeValue(forKey: ack.packetID)
        action.deliver = held
        action.send.append(.pubComp(AckPacket(packetID: ack.packetID, reasonCode: held != nil ? .success : .packetIdentifierNotFound)))
        return action
    }

    /// A new connection is up. With the session kept, everything unacknowledged is sent again:
    /// PUBLISH with DUP set, PUBREL for messages past PUBREC. Without it the broker forgot every
    /// exchange, so unacknowledged messages start over (new exchanges, DUP clear) and the incoming
    /// QoS 2 state is dropped (spec 4.1: the session state is discarded).
    public mutating func connectionResumed(sessionPresent: Bool, sendQuota: Int) -> [MQTTPacket] {
        self.sendQuota = sendQuota
        var resend: [MQTTPacket] = []
        if !sessionPresent { incomingQoS2.removeAll() }
        for id in outgoingOrder {
            switch outgoing[id] {
            case .awaitingPubAck(var message), .awaitingPubRec(var message):
                message.dup = sessionPresent
                resend.append(.publish(message))
            case .awaitingPubComp:
                if sessionPresent { resend.append(.pubRel(AckPacket(packetID: id))) }
            case nil: break
            }
        }
        if !sessionPresent {
            // A PUBREL-stage message reached the broker already; with its state gone there is nothing left to finish.
            for id in outgoingOrder where outgoing[id] == .awaitingPubComp {
                outgoing[id] = nil
                ids.release(id)
            }
            outgoingOrder.removeAll { outgoing[$0] == nil }
        }
        while outgoing.count < self.sendQuota, !waiting.isEmpty {
            let next = waiting.removeFirst()
            track(next)
            resend.append(.publish(next))
        }
        return resend
    }

    /// Ids of every outgoing message, for failing their waiters when the session is given up.
    public mutating func abandonAll() -> [UInt16] {
        let all = outgoingOrder + waiting.compactMap(\.packetID)
        for id in all { ids.release(id) }
        outgoing.removeAll()
        outgoingOrder.removeAll()
        waiting.removeAll()
        incomingQoS2.removeAll()
        return all
    }
}
