import MQTTCore
import NIOCore

/// A message as the dashboard keeps it. The payload is capped (`DashboardSettings.maximumStoredPayload`)
/// so that a 16 MB payload costs at most that much; `size` keeps the real length for the
/// "truncated, N bytes" marker.
public struct ReceivedMessage: Sendable, Equatable {
    public var topic: String
    public var payload: ByteBuffer
    /// The payload's full length on the wire.
    public var size: Int
    public var qos: QoS
    public var retain: Bool
    public var dup: Bool
    public var properties: Properties
    /// Seconds since 1970 (wall clock) when it arrived.
    public var receivedAt: Double

    public init(topic: String, payload: ByteBuffer, size: Int? = nil, qos: QoS = .atMostOnce, retain: Bool = false,
                dup: Bool = false, properties: Properties = [], receivedAt: Double) {
        self.topic = topic
        self.payload = payload
        self.size = size ?? payload.readableBytes
        self.qos = qos
        self.retain = retain
        self.dup = dup
        self.properties = properties
        self.receivedAt = receivedAt
    }

    public var isTruncated: Bool { size > payload.readableBytes }
}
