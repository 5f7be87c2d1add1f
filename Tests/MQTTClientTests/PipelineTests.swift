@testable import MQTTClient
import MQTTCore
import NIOCore
import NIOEmbedded
import NIOWebSocket
import XCTest

/// The client's pipeline (encoder, and the reader that decodes and hands packets on) on an embedded channel: bytes in, packets out,
/// and the other way round, without a socket or a broker.
final class PipelineTests: XCTestCase {
    /// What the reader hands to the client.
    private final class Recorder {
        var packets: [MQTTPacket] = []
        var errors: [any Error] = []
        var inactiveCount = 0
    }

    private func makeChannel(_ configuration: MQTTClientConfiguration) throws -> (EmbeddedChannel, Recorder) {
        let channel = EmbeddedChannel()
        let recorder = Recorder()
        try ChannelSetup.addMQTTHandlers(to: channel.pipeline.syncOperations, configuration: configuration) { decoder in
            MQTTPacketReader(
                decoder: decoder, onPacket: { recorder.packets.append($0) }, onError: { recorder.errors.append($0) },
                onInactive: { recorder.inactiveCount += 1 })
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883)).wait()
        return (channel, recorder)
    }

    private func encode(_ packet: MQTTPacket, _ version: MQTTVersion) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try packet.write(into: &buffer, version: version)
        return Array(buffer.readableBytesView)
    }

    func testPacketsArriveWholeWhateverTheChunking() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration(version: .v5))
        let connAck = MQTTPacket.connAck(ConnAckPacket(sessionPresent: true, properties: [.receiveMaximum(10)]))
        for byte in try encode(connAck, .v5) {
            XCTAssertTrue(recorder.packets.isEmpty)
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        XCTAssertEqual(recorder.packets, [connAck])

        // Two packets in one read come out in order.
        let publish = MQTTPacket.publish(
            PublishPacket(topic: "livingroom/temp", payload: ByteBuffer(string: "24.1"), qos: .atLeastOnce, packetID: 3))
        try channel.writeInbound(ByteBuffer(bytes: try encode(publish, .v5) + encode(.pingResp, .v5)))
        XCTAssertEqual(recorder.packets, [connAck, publish, .pingResp])
        XCTAssertTrue(recorder.errors.isEmpty)
        XCTAssertNil(try channel.readInbound(as: MQTTPacket.self), "the reader is the end of the line")
        _ = try channel.finish()
    }

    func testOutgoingPacketsAreEncodedForTheConnectionsVersion() throws {
        let ack = MQTTPacket.pubAck(AckPacket(packetID: 1, reasonCode: .noMatchingSubscribers))
        let (v5, _) = try makeChannel(MQTTClientConfiguration(version: .v5))
        try v5.writeOutbound(ClientOutbound.packet(ack))
        // Reason code, then an empty property list (spec 3.4.2: dropping it would be allowed too).
        XCTAssertEqual(try v5.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }, [0x40, 0x04, 0x00, 0x01, 0x10, 0x00])
        try v5.writeOutbound(ClientOutbound.packet(.pingReq))
        XCTAssertEqual(try v5.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }, [0xC0, 0x00])

        // 3.1.1 has no reason code in PUBACK.
        let (v311, _) = try makeChannel(MQTTClientConfiguration(version: .v3_1_1))
        try v311.writeOutbound(ClientOutbound.packet(ack))
        XCTAssertEqual(try v311.readOutbound(as: ByteBuffer.self).map { Array($0.readableBytesView) }, [0x40, 0x02, 0x00, 0x01])
        _ = try v5.finish()
        _ = try v311.finish()
    }

    func testAPacketOnlyAClientSendsClosesTheConnection() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration(version: .v3_1_1))
        let connect = try encode(.connect(ConnectPacket(version: .v3_1_1, clientID: "x")), .v3_1_1)
        XCTAssertNoThrow(try channel.writeInbound(ByteBuffer(bytes: connect)), "the reader handles the error")
        guard recorder.errors.count == 1, case MQTTClientError.decodeFailed(.unexpectedPacketType(.connect))? = recorder.errors.first else {
            return XCTFail("want decodeFailed(unexpectedPacketType(CONNECT)), got \(recorder.errors)")
        }
        XCTAssertTrue(recorder.packets.isEmpty)
        XCTAssertFalse(channel.isActive)
        XCTAssertEqual(recorder.inactiveCount, 1)
    }

    /// The one error the reader reported, if it is the named over-size one: (size, maximum).
    private func incomingTooLarge(_ recorder: Recorder) -> (size: Int?, maximum: Int)? {
        guard recorder.errors.count == 1, case MQTTClientError.incomingPacketTooLarge(let size, let maximum)? = recorder.errors.first
        else { return nil }
        return (size, maximum)
    }

    func testAnOversizedPacketIsRefusedFromItsHeaderAlone() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration(version: .v5, maximumPacketSize: 64))
        // PUBLISH announcing 1000 bytes (variable byte integer 0xE8 0x07); none of the body has arrived.
        try channel.writeInbound(ByteBuffer(bytes: [0x30, 0xE8, 0x07]))
        let refused = try XCTUnwrap(incomingTooLarge(recorder), "\(recorder.errors)")
        XCTAssertEqual(refused.size, 1003)
        XCTAssertEqual(refused.maximum, 64)
        XCTAssertFalse(channel.isActive)
    }

    /// The attack on `mqdash sub`: a 250 MB PUBLISH over 3.1.1, whose five header bytes are all the default
    /// configuration needs to refuse it with the error users see (size and maximum), before any body arrives.
    func testTheDefaultRefusesA250MBPublishFromItsFixedHeader() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration(version: .v3_1_1))
        let remaining = 262_144_005  // 250 MiB of payload, a 3-byte topic and its length
        var length: [UInt8] = []
        var value = remaining
        repeat {
            length.append(UInt8(value % 128) | (value >= 128 ? 0x80 : 0))
            value /= 128
        } while value > 0
        try channel.writeInbound(ByteBuffer(bytes: [0x30] + length))
        let refused = try XCTUnwrap(incomingTooLarge(recorder), "\(recorder.errors)")
        XCTAssertEqual(refused.size, 1 + length.count + remaining)
        XCTAssertEqual(refused.maximum, 16_777_216)
        XCTAssertEqual(
            "\(recorder.errors[0])", "the broker sent a 262144010-byte packet, above the 16777216-byte maximum")
        XCTAssertTrue(recorder.packets.isEmpty)
        XCTAssertFalse(channel.isActive, "closed at once, not left reading the rest")
        XCTAssertEqual(recorder.inactiveCount, 1)
    }

    func testAPacketOfExactlyTheMaximumIsAccepted() throws {
        let publish = MQTTPacket.publish(PublishPacket(topic: "big", payload: ByteBuffer(repeating: 7, count: 1000)))
        let bytes = try encode(publish, .v3_1_1)
        let (atMaximum, accepting) = try makeChannel(MQTTClientConfiguration(maximumPacketSize: bytes.count))
        try atMaximum.writeInbound(ByteBuffer(bytes: bytes))
        XCTAssertEqual(accepting.packets, [publish])
        XCTAssertTrue(accepting.errors.isEmpty)

        let (belowIt, refusing) = try makeChannel(MQTTClientConfiguration(maximumPacketSize: bytes.count - 1))
        try belowIt.writeInbound(ByteBuffer(bytes: Array(bytes.prefix(3))))
        XCTAssertEqual(incomingTooLarge(refusing)?.size, bytes.count)
        XCTAssertTrue(refusing.packets.isEmpty)
        _ = try atMaximum.finish()
    }

    func testAWebSocketFrameOverTheMaximumIsNamedToo() {
        let named = MQTTClientError.fromPipeline(NIOWebSocketError.invalidFrameLength, maximumPacketSize: 1000)
        guard case MQTTClientError.incomingPacketTooLarge(nil, 1000) = named else { return XCTFail("\(named)") }
        XCTAssertEqual("\(named)", "the broker sent a WebSocket frame above the 1000-byte maximum")
    }

    func testInactiveIsReportedOnce() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration())
        try channel.close().wait()
        XCTAssertEqual(recorder.inactiveCount, 1)
        XCTAssertTrue(recorder.errors.isEmpty)
    }
}

extension PipelineTests {
    /// Messages larger than a read arrive in pieces. Each delivered payload is a view into the buffer it was
    /// decoded from, so a queue of them holds those buffers: they must stay near the messages' own size
    /// (`mqdash sub` bounds its queue by payload bytes), not grow with every piece that arrived.
    func testLargeMessagesArrivingInPiecesHoldBuffersNearTheirOwnSize() throws {
        let (channel, recorder) = try makeChannel(MQTTClientConfiguration(version: .v3_1_1))
        let message = try encode(.publish(PublishPacket(topic: "flood/x", payload: ByteBuffer(repeating: 0x7A, count: 100_000))), .v3_1_1)
        let stream = Array(Array(repeating: message, count: 50).joined())
        var offset = stream.startIndex
        while offset < stream.endIndex {
            let end = min(offset + 65_536, stream.endIndex)
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
            offset = end
        }
        XCTAssertEqual(recorder.packets.count, 50)
        let held = recorder.packets.reduce(0) { total, packet in
            guard case .publish(let publish) = packet else { return total }
            return total + publish.payload.storageCapacity
        }
        // Two neighbours may share a buffer (counted for each). Keeping the read buffer whole instead of its unread
        // part made each piece copy and grow all of it: 191 758 336 bytes held here.
        XCTAssertLessThan(held, 50 * 100_000 * 3)
    }
}
