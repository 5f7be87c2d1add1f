import MQTTCore
import MQTTWebSocket
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Decodes the broker's bytes into packets and hands each to the client, with connection-level events, on the
/// channel's event loop. One handler for both, so that no packet is boxed into a `NIOAny` and cast back on
/// its way from a decoder handler to the client: a recorder takes over 100 000 a second.
/// What cannot be decoded arrives named (`MQTTClientError.fromPipeline`), so the client and its users
/// see "the broker sent a 262144010-byte packet" rather than a decoder's internals.
final class MQTTPacketReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var decoder: PacketDecoder
    /// The start of a packet whose rest has not arrived; bounded by the decoder's maximum packet size.
    private var unread: ByteBuffer?
    private var failed = false
    private let onPacket: (MQTTPacket) -> Void
    private let onError: (any Error) -> Void
    private let onInactive: () -> Void

    init(
        decoder: PacketDecoder, onPacket: @escaping (MQTTPacket) -> Void, onError: @escaping (any Error) -> Void,
        onInactive: @escaping () -> Void
    ) {
        self.decoder = decoder
        self.onPacket = onPacket
        self.onError = onError
        self.onInactive = onInactive
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var bytes = unwrapInboundIn(data)
        if var start = unread {
            unread = nil   // so that `start` is the buffer's only owner and grows in place
            start.writeBuffer(&bytes)
            bytes = start
        }
        do throws(MQTTDecodeError) {
            // A packet may make the client close the connection: what follows it in the read is not handed on.
            while context.channel.isActive, let packet = try decoder.next(from: &bytes) { onPacket(packet) }
        } catch {
            failed = true
            return errorCaught(context: context, error: error)
        }
        // Only the bytes still unread: decoded payloads are views into this buffer, and keeping the buffer whole
        // would make every later piece copy (and grow) all of it.
        if bytes.readableBytes > 0 { unread = bytes.slice() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError(MQTTClientError.fromPipeline(error, maximumPacketSize: decoder.maximumPacketSize))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onInactive()
        context.fireChannelInactive()
    }
}

/// Builds the pipeline for one transport and reports when MQTT packets can flow.
/// Separate from the client so connection handling does not care which transport it runs on.
struct ChannelSetup {
    let configuration: MQTTClientConfiguration
    let makeReader: @Sendable (PacketDecoder) -> MQTTPacketReader

    /// Connects and resolves with a channel whose pipeline speaks MQTT (after TLS and the WebSocket upgrade).
    func connect(on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        let ready = eventLoop.makePromise(of: (any Channel).self)
        let tlsContext: NIOSSLContext?
        do {
            tlsContext = try makeTLSContext()
        } catch {
            ready.fail(MQTTClientError.tlsFailure("\(error)"))
            return ready.futureResult
        }
        let configuration = self.configuration
        let makeReader = self.makeReader
        var bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        let serverName = Self.isIPAddress(configuration.host) ? nil : configuration.host
                        try sync.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                    }
                    if case .webSocket(let path, _) = configuration.transport {
                        try Self.addWebSocketHandlers(to: channel, configuration: configuration, path: path, ready: ready, makeReader: makeReader)
                    } else {
                        try Self.addMQTTHandlers(to: sync, configuration: configuration, makeReader: makeReader)
                    }
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        if let bindAddress = configuration.bindAddress {
            do {
                bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: bindAddress, port: 0))
            } catch {
                ready.fail(MQTTClientError.io("Invalid bind address \"\(bindAddress)\": \(error)"))
                return ready.futureResult
            }
        }
        bootstrap.connect(host: configuration.host, port: configuration.port).whenComplete { result in
            switch result {
            case .success(let channel):
                if case .webSocket = configuration.transport {
                    // `ready` completes when the upgrade does; a close before that is a failed upgrade.
                    channel.closeFuture.whenComplete { _ in
                        ready.fail(MQTTClientError.webSocketUpgradeFailed("connection closed during the upgrade"))
                    }
                } else {
                    ready.succeed(channel)
                }
            case .failure(let error):
                ready.fail(error)
            }
        }
        return ready.futureResult
    }

    static func addMQTTHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations, configuration: MQTTClientConfiguration,
        makeReader: (PacketDecoder) -> MQTTPacketReader
    ) throws {
        let decoder = PacketDecoder(
            version: configuration.version, direction: .serverToClient, maximumPacketSize: configuration.maximumPacketSize)
        try pipeline.addHandler(ClientOutboundEncoder(version: configuration.version))
        try pipeline.addHandler(makeReader(decoder))
    }

    private static func addWebSocketHandlers(
        to channel: any Channel, configuration: MQTTClientConfiguration, path: String, ready: EventLoopPromise<any Channel>,
        makeReader: @escaping @Sendable (PacketDecoder) -> MQTTPacketReader
    ) throws {
        // A frame is buffered whole before its bytes reach the MQTT decoder, so it gets the same bound as a
        // packet: NIO counts the payload only, and a broker puts one packet or a part of one in each frame
        // (ours writes one frame per packet). Larger frames are refused from their header.
        // NIO's automatic error handler would close the channel before the error reaches the forwarder,
        // losing its name; the forwarder closes instead (and WebSocketByteStreamHandler sends the close frame).
        let upgrader = NIOWebSocketClientUpgrader(
            maxFrameSize: configuration.maximumPacketSize, automaticErrorHandling: false,
            upgradePipelineHandler: { channel, _ in
                do {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(WebSocketByteStreamHandler(role: .client))
                    try addMQTTHandlers(to: sync, configuration: configuration, makeReader: makeReader)
                    ready.succeed(channel)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            })
        let requester = WebSocketUpgradeRequester(host: configuration.host, path: path) { error in
            // A failed TLS handshake is named as such (certificate verify failed, ...), not as an upgrade failure.
            let named = error is MQTTClientError || error is NIOSSLError || error is BoringSSLError
            ready.fail(named ? error : MQTTClientError.webSocketUpgradeFailed("\(error)"))
        }
        let upgradeConfiguration: NIOHTTPClientUpgradeSendableConfiguration = (
            upgraders: [upgrader],
            completionHandler: { context in
                context.pipeline.syncOperations.removeHandler(name: WebSocketUpgradeRequester.name, promise: nil)
            }
        )
        try channel.pipeline.syncOperations.addHTTPClientHandlers(withClientUpgrade: upgradeConfiguration)
        try channel.pipeline.syncOperations.addHandler(requester, name: WebSocketUpgradeRequester.name)
    }

    private func makeTLSContext() throws -> NIOSSLContext? {
        let options: TLSOptions
        switch configuration.transport {
        case .tls(let tls): options = tls
        case .webSocket(_, let tls?): options = tls
        default: return nil
        }
        return try options.makeContext()
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
