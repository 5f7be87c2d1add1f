import NIOCore

/// Counts the bytes a connection receives for `$SYS/broker/bytes/received`; one addition per socket read.
final class ReceivedBytesCounter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let broker: Broker

    init(broker: Broker) { self.broker = broker }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        broker.received(bytes: unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }
}
