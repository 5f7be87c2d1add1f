import NIOCore

/// On WebSocket listeners, behind TLS and in front of the HTTP and frame decoders (which hold a whole
/// request head or frame before `ConnectPacketGuard` sees a byte of it): reserves every byte the
/// connection sends before its CONNECT from the shared budget, and closes the connection once it
/// sent more than a CONNECT and its upgrade request can need or the budget has no room left.
/// Gives it all back and steps aside on `ConnectReceived`, or when the connection closes.
final class PreConnectByteCap: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: PreConnectLimits
    private let cap: Int
    private var reservation: ConnectingReservation
    private var refused = false

    init(limits: PreConnectLimits) {
        self.limits = limits
        reservation = ConnectingReservation(limits: limits)
        cap = limits.connectSizeLimit + PreConnectLimits.webSocketAllowance
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let count = unwrapInboundIn(data).readableBytes
        let total = reservation.bytes + count
        if total > cap {
            return refuse(context: context, "sent more than \(cap) bytes before its CONNECT")
        }
        guard reservation.grow(to: total) else {
            return refuse(context: context, "sent \(total) bytes before its CONNECT while connections awaiting CONNECT "
                          + "already hold \(limits.budget.reserved) bytes (max_connecting_bytes \(limits.budget.limit))")
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        reservation.release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        reservation.release()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        // Passed on in any case: `ConnectDeadline`, further out, waits for it too.
        context.triggerUserOutboundEvent(event, promise: promise)
        if event is ConnectReceived {
            reservation.release()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func refuse(context: ChannelHandlerContext, _ why: String) {
        refused = true
        reservation.release()
        limits.refuse(context, why)
    }
}
