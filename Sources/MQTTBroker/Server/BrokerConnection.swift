import MQTTCore
import NIOCore
import NIOSSL

/// One client socket: hands what happens on it to the broker as events and carries out what the broker's
/// core answers for it (send, close, stop or resume reading). No MQTT decisions are taken here.
final class BrokerConnection: ChannelInboundHandler, BrokerEndpoint {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = ByteBuffer

    /// The core's connect timeout, for the deadline handler in front of TLS and WebSocket, which closes half a
    /// second after it.
    static let connectTimeout = TimeAmount(BrokerCore<EventLoopClock>.connectTimeout)

    private let broker: Broker
    private let listener: ListenerContext
    private var id: ConnectionID?
    private var context: ChannelHandlerContext?
    /// Whether the client certificate was looked at (once, before the first packet: TLS is done by then).
    private var identified = false

    init(broker: Broker, listener: ListenerContext) {
        self.broker = broker
        self.listener = listener
    }

    // MARK: Channel events, handed to the broker

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { opened(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context: context)
        context.fireChannelActive()
    }

    private func opened(context: ChannelHandlerContext) {
        guard id == nil else { return }
        let address = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
        id = broker.opened(self, listener: listener, remoteAddress: address)
        broker.finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let id else { return }
        if !identified { identify(id, context: context) }
        broker.received(unwrapInboundIn(data), from: id)
    }

    /// On a listener that takes user names from client certificates, tells the broker what this one gives.
    private func identify(_ id: ConnectionID, context: ChannelHandlerContext) {
        identified = true
        guard let source = listener.usernameFromCertificate else { return }
        let der = try? context.pipeline.syncOperations.nioSSL_peerCertificate()?.toDERBytes()
        broker.handle(.identified(id, certificateUsername: der.flatMap { source.username(inCertificate: $0) }))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        broker.finish()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let id {
            broker.handle(context.channel.isWritable ? .writable(id) : .outputFull(id))
            broker.finish()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let id { broker.closed(id) }
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let id else { return }
        if let decodeError = error as? MQTTDecodeError {
            broker.handle(.malformed(id, decodeError))
        } else {
            broker.handle(.socketFailed(id, reason: "\(error)"))
        }
        broker.finish()
    }

    // MARK: Actions, carried out for the broker

    /// Writes and flushes one event's worth of packets.
    func send(_ bytes: ByteBuffer) -> EndpointSendOutcome {
        guard let context else { return .gone }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        return context.channel.isWritable ? .writable : .full
    }

    /// Closes at once. What was flushed goes out if the socket takes it (the kernel delivers it after the
    /// close); a close never waits for a flush, which a peer that does not read, or never finishes its TLS
    /// handshake, would never allow (the TLS close_notify wait is bounded by the listener's `shutdownTimeout`).
    func closeNow() {
        context?.close(mode: .all, promise: nil)
    }

    func setReading(_ reading: Bool) {
        guard let context else { return }
        context.channel.setOption(ChannelOptions.autoRead, value: reading).whenComplete { _ in }
        if reading { context.read() }
    }

    var closeFuture: EventLoopFuture<Void> {
        context?.channel.closeFuture ?? broker.eventLoop.makeSucceededVoidFuture()
    }
}
