import MQTTCore
import NIOCore

extension Broker {
    /// The handlers of one MQTT connection, in pipeline order: received-bytes counter, decoder, connection.
    /// The listeners install these on every accepted socket; harnesses outside this module (the broker fuzz
    /// target) install them on embedded channels, so both drive the broker through the same pipeline.
    public func connectionHandlers(listener: ListenerContext, maximumPacketSize: Int) -> [any ChannelHandler] {
        [
            ReceivedBytesCounter(broker: self),
            ByteToMessageHandler(MQTTPacketByteDecoder(decoder: PacketDecoder(
                version: .v3_1_1, direction: .clientToServer, maximumPacketSize: maximumPacketSize))),
            BrokerConnection(broker: self, listener: listener),
        ]
    }
}
