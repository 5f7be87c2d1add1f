import MQTTCore
import MQTTWebSocket
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The server side of MQTT over WebSocket: an HTTP/1.1 pipeline that only accepts the upgrade
/// to WebSocket with an MQTT subprotocol; once upgraded, binary frames carry the MQTT bytes and
/// `initializeMQTT` adds the MQTT handlers behind the frame adapter.
enum WebSocketListenerPipeline {
    /// Subprotocols we speak, in order of preference: `mqtt` (3.1.1 and 5.0), `mqttv3.1` (old clients).
    static let subprotocols = ["mqtt", "mqttv3.1"]
    /// Frames may carry a little more than one largest packet: a client may put a small packet behind it.
    static let frameSlack = 1 << 10

    /// The largest frame payload accepted. Frames are read whole before their bytes go on, so this is
    /// what one frame can cost; before CONNECT, `PreConnectByteCap` bounds it much lower.
    static func maximumFrameSize(maximumPacketSize: Int) -> Int {
        min(maximumPacketSize, maximumVariableByteInteger + 5) + frameSlack
    }

    static func configure(
        _ channel: any Channel, maximumPacketSize: Int,
        initializeMQTT: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) throws {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maximumFrameSize(maximumPacketSize: maximumPacketSize),
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(responseHeaders(for: head))
            },
            upgradePipelineHandler: { channel, _ in
                do {
                    try channel.pipeline.syncOperations.addHandler(WebSocketByteStreamHandler(role: .server))
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                // Nothing behind us would close the channel if the MQTT handlers could not be added.
                return initializeMQTT(channel).flatMapError { error in
                    channel.close(promise: nil)
                    return channel.eventLoop.makeFailedFuture(error)
                }
            })
        let upgrade: NIOHTTPServerUpgradeSendableConfiguration = (
            upgraders: [upgrader],
            completionHandler: { context in
                // Removed before the frame handlers are added behind it: it only understands HTTP.
                context.pipeline.syncOperations.removeHandler(name: WebSocketUpgradeOnlyHandler.name, promise: nil)
            }
        )
        let sync = channel.pipeline.syncOperations
        try sync.configureHTTPServerPipeline(withServerUpgrade: upgrade, withErrorHandling: true)
        try sync.addHandler(WebSocketUpgradeOnlyHandler(), name: WebSocketUpgradeOnlyHandler.name)
    }

    /// The headers of an accepted upgrade, or nil to refuse it. A client that names no
    /// subprotocol is accepted (the RFC then has us name none); one that names only others is not.
    static func responseHeaders(for head: HTTPRequestHead) -> HTTPHeaders? {
        let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map { $0.lowercased() }
        var headers = HTTPHeaders()
        guard !offered.isEmpty else { return headers }
        guard let chosen = subprotocols.first(where: { offered.contains($0) }) else { return nil }
        headers.add(name: "Sec-WebSocket-Protocol", value: chosen)
        return headers
    }
}

/// Answers every HTTP request that did not become a WebSocket upgrade with a 4xx and closes:
/// this port serves MQTT over WebSocket, not web pages. (One that never sends a request is closed
/// by `ConnectDeadline`.)
final class WebSocketUpgradeOnlyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "mqtt-websocket-upgrade-only"
    private var answered = false

    /// A refused upgrade is reported here before its request arrives, which is then answered
    /// with a 400. Anything else (a malformed request, which NIO's HTTP error handler has already
    /// answered with 400; a TLS failure) ends the connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data), !answered else { return }
        answered = true
        let askedForUpgrade = head.headers[canonicalForm: "Upgrade"].contains { $0.lowercased() == "websocket" }
        let (status, text): (HTTPResponseStatus, String) = askedForUpgrade
            ? (.badRequest, "WebSocket upgrade refused: this broker speaks the subprotocols mqtt and mqttv3.1 only.\n")
            : (.upgradeRequired, "This port speaks MQTT over WebSocket only (subprotocol mqtt).\n")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(text.utf8.count))
        headers.add(name: "Connection", value: "close")
        if !askedForUpgrade { headers.add(name: "Upgrade", value: "websocket") }
        let response = HTTPResponseHead(version: head.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
