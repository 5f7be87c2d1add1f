import NIOCore
import NIOWebSocket

/// Carries the MQTT byte stream in binary WebSocket frames (MQTT spec section 6), on either side.
///
/// MQTT packets may span frames and a frame may hold several packets, so frames are only unwrapped
/// into bytes for the MQTT decoder; each outgoing buffer becomes one binary frame. Shared by the
/// client and the broker: the only difference is that a client masks its frames (RFC 6455 5.3)
/// and a server must not.
public final class WebSocketByteStreamHandler: ChannelDuplexHandler {
    public typealias InboundIn = WebSocketFrame
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = WebSocketFrame

    public enum Role: Sendable {
        case client
        case server
    }

    private let role: Role
    /// A close frame went out; none may follow it (RFC 6455 5.5.1).
    private var closeSent = false

    public init(role: Role) {
        self.role = role
    }

    private var maskKey: WebSocketMaskingKey? { role == .client ? .random() : nil }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation:
            context.fireChannelRead(wrapInboundOut(frame.unmaskedData))
        case .text:
            // MQTT-6.0.0-1: MQTT travels in binary frames only; anything else ends the connection.
            closeWith(code: .unacceptableData, context: context)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: maskKey, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            // Answer with a close frame of our own, echoing the peer's status code, then hang up.
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode() ?? .normalClosure
            closeWith(code: code, context: context)
        default:
            break
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = unwrapOutboundIn(data)
        let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: maskKey, data: bytes)
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    /// Sends a close frame before the connection is closed from our side (e.g. the broker
    /// disconnecting a client), so the peer sees a clean WebSocket close.
    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .all, !closeSent, context.channel.isActive {
            closeSent = true
            context.writeAndFlush(wrapOutboundOut(closeFrame(.normalClosure, allocator: context.channel.allocator)), promise: nil)
        }
        context.close(mode: mode, promise: promise)
    }

    private func closeWith(code: WebSocketErrorCode, context: ChannelHandlerContext) {
        if !closeSent {
            closeSent = true
            context.writeAndFlush(wrapOutboundOut(closeFrame(code, allocator: context.channel.allocator)), promise: nil)
        }
        context.close(promise: nil)
    }

    private func closeFrame(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var payload = allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        return WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: maskKey, data: payload)
    }
}
