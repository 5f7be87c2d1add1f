import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Sends the HTTP GET that asks for the upgrade, with the `mqtt` subprotocol brokers require.
final class WebSocketUpgradeRequester: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    static let name = "mqtt-websocket-upgrade-request"
    private let host: String
    private let path: String
    private let upgradeFailed: (any Error) -> Void

    /// `upgradeFailed`: an HTTP answer that is not the upgrade (as `MQTTClientError.webSocketUpgradeFailed`), or
    /// the error that ended the connection before it (a TLS handshake's, say), as it is.
    init(host: String, path: String, upgradeFailed: @escaping (any Error) -> Void) {
        self.host = host
        self.path = path
        self.upgradeFailed = upgradeFailed
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        headers.add(name: "Sec-WebSocket-Protocol", value: "mqtt")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Any response that reaches us was not an upgrade.
        if case .head(let head) = unwrapInboundIn(data) {
            upgradeFailed(MQTTClientError.webSocketUpgradeFailed("HTTP \(head.status.code) \(head.status.reasonPhrase)"))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        upgradeFailed(error)
        context.close(promise: nil)
    }
}
