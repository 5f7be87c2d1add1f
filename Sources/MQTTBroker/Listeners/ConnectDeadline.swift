import NIOCore

/// The first handler of every connection: closes it when the TLS handshake, the WebSocket upgrade
/// and the CONNECT are not all through within `timeout`, whatever the peer does. In front of TLS,
/// its close goes straight to the socket: closed from further in, the TLS handler would first wait
/// for a handshake or close_notify that a hostile peer never sends. Steps aside on `ConnectReceived`.
final class ConnectDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    /// What the connection had to get through, for the log: "TLS handshake and CONNECT", ...
    private let stages: String
    private let log: @Sendable (String) -> Void
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, tls: Bool = false, webSocket: Bool = false, log: @escaping @Sendable (String) -> Void) {
        self.timeout = timeout
        let names = (tls ? ["TLS handshake"] : []) + (webSocket ? ["WebSocket upgrade"] : []) + ["CONNECT"]
        stages = names.count == 1 ? "CONNECT" : names.dropLast().joined(separator: ", ") + " and CONNECT"
        self.log = log
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let (log, stages, seconds) = (log, stages, Double(timeout.nanoseconds) / 1e9)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let context = loopBound.value
            guard context.channel.isActive else { return }
            log("Client \(PreConnectLimits.peer(of: context.channel)) did not complete its \(stages) within \(seconds) s, disconnecting.")
            context.close(mode: .all, promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is ConnectReceived else {
            return context.triggerUserOutboundEvent(event, promise: promise)
        }
        promise?.succeed()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
