import NIOCore
import NIOHTTP1

/// The `metrics_listener` connection: GET /metrics (Prometheus text format) and GET /health; anything else
/// is 404 (405 for other methods). One request per connection, and a connection idle for 10 s is closed.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let scrape: @Sendable () -> EventLoopFuture<[UInt8]>
    private var request: HTTPRequestHead?

    init(scrape: @escaping @Sendable () -> EventLoopFuture<[UInt8]>) {
        self.scrape = scrape
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end: respond(context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext) {
        guard let request else { return context.close(promise: nil) }
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        guard request.method == .GET else { return reply(.methodNotAllowed, "GET only\n", context: context) }
        switch path {
        case "/metrics":
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scrape().hop(to: context.eventLoop).whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success(let bytes):
                    handler.reply(.ok, bytes, type: "text/plain; version=0.0.4; charset=utf-8", context: context)
                case .failure:
                    handler.reply(.serviceUnavailable, Array("the broker is stopping\n".utf8), context: context)
                }
            }
        case "/health":
            reply(.ok, "ok\n", context: context)
        default:
            reply(.notFound, "not found: /metrics and /health are served here\n", context: context)
        }
    }

    private func reply(_ status: HTTPResponseStatus, _ text: String, context: ChannelHandlerContext) {
        reply(status, Array(text.utf8), context: context)
    }

    private func reply(_ status: HTTPResponseStatus, _ body: [UInt8], type: String = "text/plain; charset=utf-8",
                       context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
