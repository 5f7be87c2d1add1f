import NIOCore

/// What `Broker` carries the core's actions out on: a client socket (`BrokerConnection`) or a bridge's
/// connection into the local core (`BridgeLocalSide`). Called on the broker's event loop.
protocol BrokerEndpoint: AnyObject {
    /// Writes and flushes one event's worth of packets.
    func send(_ bytes: ByteBuffer) -> EndpointSendOutcome
    /// Closes at once; `Broker.closed` follows when it is gone.
    func closeNow()
    func setReading(_ reading: Bool)
    var closeFuture: EventLoopFuture<Void> { get }
}

enum EndpointSendOutcome {
    case writable
    /// The write buffer passed its high-water mark: the client is not reading.
    case full
    case gone
}
