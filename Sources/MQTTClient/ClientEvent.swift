import MQTTCore

/// What the client reports to its user through `MQTTClient.events`.
public enum MQTTClientEvent: Sendable {
    /// A connection is up (the first one or a reconnect).
    case connected(ConnAckPacket)
    /// A message arrived on a subscription.
    case message(PublishPacket)
    /// The connection ended; `error` is nil after our own DISCONNECT.
    case disconnected(error: MQTTClientError?)
    /// The next attempt starts after `delay`.
    case reconnecting(attempt: Int, delay: Duration)
    /// Raw traffic, only with `tracePackets`: for mosquitto-style `-d` output.
    case packetSent(MQTTPacket)
    case packetReceived(MQTTPacket)
}

/// How a publish ended: QoS 0 when written, QoS 1 on PUBACK, QoS 2 on PUBCOMP (or a failing PUBREC).
public struct PublishResult: Sendable, Hashable {
    public var packetID: UInt16?
    public var reasonCode: ReasonCode
}
