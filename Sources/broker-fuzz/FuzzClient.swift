import MQTTCore
import NIOCore
import NIOEmbedded

/// One socket of a client slot. A slot that reconnects keeps its old sockets until they are closed and
/// drained, so a takeover's DISCONNECT to the old one is read too.
final class FuzzLink {
    let channel: EmbeddedChannel
    let version: MQTTVersion
    /// The identity this socket claimed in its CONNECT: what `ACL.canRead` is asked about deliveries to it.
    let username: String?
    var accepted = false
    /// Packets of a known broker defect seen on this socket (see `receive`).
    /// The payload of the will this socket's CONNECT carried.
    private var decoder: PacketDecoder
    private var pending = ByteBuffer()
    /// Packet ids the broker used towards this socket (PUBLISH QoS 1/2, PUBREL), newest last.
    var recentIDs: [UInt16] = []
    /// What the client still owes the broker, for the "acknowledge everything" step.
    var owedAcks: [MQTTPacket] = []
    /// Our QoS 1/2 publishes not yet acknowledged, by packet id; oldest first, as the acks come in order
    /// even when the program reuses an id before its ack.
    var awaitingAck: [UInt16: [TrackedPublish]] = [:]
    /// Raw bytes went out: where the broker's packets start in this stream is no longer known, so neither
    /// is which PUBLISH an ack answers. Acks on such a socket are not checked.
    var sentRawBytes = false
    /// PUBACK / PUBREC ids seen in the current step and whether their code is a success; checked once the
    /// step's own publish is accounted for.
    var acknowledgedThisStep: [(id: UInt16, success: Bool)] = []

    init(channel: EmbeddedChannel, version: MQTTVersion, username: String?) {
        self.channel = channel
        self.version = version
        self.username = username
        decoder = PacketDecoder(version: version, direction: .serverToClient)
    }

    func send(_ packet: MQTTPacket) {
        var buffer = channel.allocator.buffer(capacity: 64)
        do throws(MQTTEncodeError) {
            try packet.write(into: &buffer, version: version)
        } catch {
            return  // a combination the encoder refuses is not the broker's problem
        }
        sendBytes(buffer)
    }

    func sendRawBytes(_ buffer: ByteBuffer) {
        sentRawBytes = true
        awaitingAck = [:]
        sendBytes(buffer)
    }

    func sendBytes(_ buffer: ByteBuffer) {
        guard channel.isActive else { return }
        _ = try? channel.writeInbound(buffer)
        channel.pipeline.fireChannelReadComplete()
    }

    /// Everything the broker has written to this socket since the last call. A packet that does not decode
    /// is a broker defect (it must only send well-formed packets).
    func receive() -> [MQTTPacket] {
        while let chunk = try? channel.readOutbound(as: ByteBuffer.self) {
            var chunk = chunk
            pending.writeBuffer(&chunk)
        }
        var packets: [MQTTPacket] = []
        while true {
            let packet: MQTTPacket?
            do throws(MQTTDecodeError) {
                packet = try decoder.next(from: &pending)
            } catch {
                preconditionFailure("the broker sent a packet its own decoder refuses (\(version)): \(error)")
            }
            guard let packet else { break }
            packets.append(packet)
        }
        pending.discardReadBytes()
        return packets
    }

    func remember(_ id: UInt16) {
        recentIDs.append(id)
        if recentIDs.count > 8 { recentIDs.removeFirst() }
    }
}

/// A QoS 1/2 message we published, with whether every subscriber it was due to got it, has it queued,
/// or was counted as a drop (decided in the step that published it).
struct TrackedPublish {
    var accounted: Bool
    var detail: String
}
