import DequeModule
import MQTTCore
import NIOCore

/// A PUBACK / PUBREC held back until what its message changed is safe: committed by the store, or,
/// when all it changed was queueing the message for persistent sessions, acknowledged by every one of
/// those subscribers (a delivered message needs no storing). Acks leave in the order their PUBLISHes
/// came, so a ready one waits for the ones before it (MQTT 4.6).
final class HeldAck {
    let packet: MQTTPacket
    let freesQuota: Bool
    let connection: CoreConnection
    /// Outgoing sequences of the persistent deliveries this ack may wait for instead of the commit.
    let deliveries: [Int64]
    var undelivered: Int
    /// The message changed more than persistent queues (a retained message, a QoS 2 id): only the commit will do.
    let needsCommit: Bool
    /// Every delivery it waits for was sent at once: the subscribers' acks, not the commit, will likely
    /// release it, so its commit may be held back a moment (see `BrokerStore.whenDurable(urgent:_:)`).
    let expectsDeliveries: Bool
    var committed = false

    init(packet: MQTTPacket, freesQuota: Bool, connection: CoreConnection, deliveries: [Int64], needsCommit: Bool,
         expectsDeliveries: Bool) {
        self.packet = packet
        self.freesQuota = freesQuota
        self.connection = connection
        self.deliveries = deliveries
        undelivered = deliveries.count
        self.needsCommit = needsCommit
        self.expectsDeliveries = expectsDeliveries
    }

    var isReady: Bool { committed || (!needsCommit && undelivered == 0) }
}

extension BrokerCore {
    /// Holds an ack behind the store (and behind this connection's earlier held acks).
    func hold(_ packet: MQTTPacket, freesQuota: Bool, over connection: CoreConnection, waitingFor effects: PublishEffects) {
        let held = HeldAck(packet: packet, freesQuota: freesQuota, connection: connection,
                           deliveries: effects.needsCommit ? [] : effects.enqueued, needsCommit: effects.needsCommit,
                           expectsDeliveries: effects.isInFlightToAll)
        for sequence in held.deliveries { deliveryWaiters[sequence] = held }
        connection.heldAcks.append(held)
        acksAfterCommit.append(held)
        releaseReadyAcks(of: connection)
        heldAcksChanged(of: connection)
    }

    /// A subscriber acknowledged outgoing message `sequence`: an ack that waited only for such deliveries may go.
    func deliveryAcknowledged(sequence: Int64) {
        guard let held = deliveryWaiters.removeValue(forKey: sequence) else { return }
        held.undelivered -= 1
        if held.isReady { releaseReadyAcks(of: held.connection) }
    }

    /// The store committed everything these acks waited for.
    func committed(_ acks: [HeldAck]) {
        for held in acks { held.committed = true }
        var touched: [ConnectionID: CoreConnection] = [:]
        for held in acks { touched[held.connection.id] = held.connection }
        for connection in touched.values { releaseReadyAcks(of: connection) }
    }

    /// Sends the ready acks at the head of the connection's queue, in order.
    func releaseReadyAcks(of connection: CoreConnection) {
        while let first = connection.heldAcks.first, first.isReady {
            connection.heldAcks.removeFirst()
            forgetWaiters(of: first)
            send(first.packet, freeingQuota: first.freesQuota, over: connection)
        }
        heldAcksChanged(of: connection)
    }

    /// The connection is gone: its held acks have nobody to go to.
    func dropHeldAcks(of connection: CoreConnection) {
        for held in connection.heldAcks { forgetWaiters(of: held) }
        connection.heldAcks.removeAll()
    }

    private func forgetWaiters(of held: HeldAck) {
        for sequence in held.deliveries where deliveryWaiters[sequence] === held {
            deliveryWaiters.removeValue(forKey: sequence)
        }
    }
}
