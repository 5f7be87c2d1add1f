import MQTTCore
import NIOCore

/// What the client writes to its channel: one packet, or a run of PUBLISH packets it already encoded into one
/// buffer (a replayer's batch: one write, one buffer and one promise instead of one each per message).
enum ClientOutbound {
    case packet(MQTTPacket)
    case encoded(ByteBuffer)
}

/// Encodes the client's outgoing packets for the connection's version and passes encoded runs through as they are.
/// A packet that cannot be encoded fails its write and is reported to the pipeline (the forwarder then closes),
/// as NIO's `MessageToByteHandler` would.
final class ClientOutboundEncoder: ChannelOutboundHandler {
    typealias OutboundIn = ClientOutbound
    typealias OutboundOut = ByteBuffer

    private let version: MQTTVersion

    init(version: MQTTVersion) { self.version = version }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .encoded(let buffer):
            context.write(wrapOutboundOut(buffer), promise: promise)
        case .packet(let packet):
            var buffer = context.channel.allocator.buffer(capacity: 256)
            do {
                try packet.write(into: &buffer, version: version)
            } catch {
                promise?.fail(error)
                context.fireErrorCaught(error)
                return
            }
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
    }
}
