import MQTTCore

/// One message on its way to one session's client, as that client will receive it.
struct OutgoingMessage {
    /// Arrival order, broker-wide and never reused; persistence and resumption keep it.
    var sequence: Int64
    /// Topic, payload and properties shared by every receiver; `qos` and `retain` are this delivery's.
    var message: StoredMessage
    var subscriptionIdentifiers: [Int]
    var packetID: UInt16?
    /// QoS 2: PUBREC arrived, PUBREL sent, waiting for PUBCOMP.
    var released = false

    var qos: QoS { message.qos }
}
