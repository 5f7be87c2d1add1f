import MQTTCore
import NIOCore
import NIOTestUtils
import XCTest

/// Feeds the NIO decoder byte by byte, packet by packet and all at once through `ByteToMessageHandler`.
final class ByteByByteDecodingTests: XCTestCase {
    func testVerifierAcceptsEveryPacketInBothVersionsAndDirections() throws {
        for version in [MQTTVersion.v3_1_1, .v5] {
            for direction in [PacketDirection.clientToServer, .serverToClient] {
                let pairs = SamplePackets.all(version)
                    .filter { directions(for: $0).contains(direction) }
                    .map { (encode($0, version: version), [$0]) }
                XCTAssertFalse(pairs.isEmpty)
                try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
                    MQTTPacketByteDecoder(decoder: PacketDecoder(version: version, direction: direction))
                }
            }
        }
    }

    func testVerifierAcceptsSeveralPacketsPerInput() throws {
        // One input holding three packets must yield all three, however the bytes are cut.
        let packets = SamplePackets.v5.filter { directions(for: $0).contains(.serverToClient) }
        var pairs: [(ByteBuffer, [MQTTPacket])] = []
        for start in stride(from: 0, to: packets.count, by: 3) {
            let group = Array(packets[start..<min(start + 3, packets.count)])
            var input = ByteBuffer()
            for packet in group { try packet.write(into: &input, version: .v5) }
            pairs.append((input, group))
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            MQTTPacketByteDecoder(decoder: PacketDecoder(version: .v5, direction: .serverToClient))
        }
    }

    func testLargePublishArrivingInSmallChunks() throws {
        // A 200 kB payload has a three-byte remaining length and spans many reads.
        let packet = MQTTPacket.publish(PublishPacket(
            topic: "big", payload: ByteBuffer(repeating: 0x5A, count: 200_000), qos: .atLeastOnce, packetID: 9))
        let bytes = encode(packet, version: .v5)
        var decoder = PacketDecoder(version: .v5, direction: .clientToServer)
        var pending = ByteBuffer()
        var decoded: [MQTTPacket] = []
        var offset = 0
        while offset < bytes.readableBytes {
            let length = min(1_337, bytes.readableBytes - offset)
            var chunk = bytes.getSlice(at: bytes.readerIndex + offset, length: length)!
            pending.writeBuffer(&chunk)
            offset += length
            while let next = try decoder.next(from: &pending) { decoded.append(next) }
        }
        XCTAssertEqual(decoded, [packet])
    }
}
