import MQTTCore
import NIOCore
import NIOSSL

/// One client socket: hands what happens on it to the broker as events and carries out what the broker's
/// core answers for it (send, close, stop or resume reading). No MQTT decisions are taken here.
final class BrokerConnection: ChannelDuplexHandler, BrokerEndpoint {
    typealias InboundIn = MQTTPacket
    typealias OutboundIn = ByteBuffer
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
    /// The core asked us to stop reading (see `setReading`).
    private var readingPaused = false
    /// The channel asked to read while we were paused; resuming asks again.
    private var readWithheld = false
    /// Paused through the `autoRead` option (from outside this channel's read).
    private var pausedByOption = false
    /// Inside `channelReadComplete`: the channel asks to read once it returns, so a pause can be kept there.
    private var endingRead = false

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
        // Read although paused: the read that was ending was not the socket's (TLS can end one of its own). Stop
        // reading at once, then.
        if readingPaused && !pausedByOption {
            pausedByOption = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
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
        endingRead = true
        broker.finish()
        endingRead = false
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

    /// A pause asked for while this channel ends a read (a 3.1.1 publisher whose held acks filled the window, each
    /// time it does) holds back the request to read that the channel makes next, and resuming passes it on: the
    /// socket is not read meanwhile, as with the `autoRead` option, which costs a future and dynamic casts each
    /// time. A pause from elsewhere (another connection's event) switches the option, which stops reading at once.
    func setReading(_ reading: Bool) {
        guard let context else { return }
        if reading {
            readingPaused = false
            if pausedByOption {
                pausedByOption = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
            if readWithheld {
                readWithheld = false
                context.read()
            }
        } else {
            readingPaused = true
            if !endingRead && !pausedByOption {
                pausedByOption = true
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readWithheld = true
        } else {
            context.read()
        }
    }

    var closeFuture: EventLoopFuture<Void> {
        context?.channel.closeFuture ?? broker.eventLoop.makeSucceededVoidFuture()
    }
}
