import MQTTCore
import NIOCore
import XCTest

/// Rules of the fixed header and framing: each bad input fails with its own `MQTTDecodeError` case.
final class MalformedFixedHeaderTests: XCTestCase {
    func testFiveByteVariableByteInteger() {
        assertDecodeError([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], .malformedVariableByteInteger)
        // The fourth byte still says "more": an error at once, without waiting for a fifth byte.
        assertDecodeError([0x30, 0x80, 0x80, 0x80, 0x80], .malformedVariableByteInteger)
    }

    func testPacketTooLargeIsRefusedFromTheFixedHeaderAlone() {
        // Only the fixed header has arrived; the body would be 127 bytes.
        assertDecodeError([0x30, 0x7F], .packetTooLarge(size: 129, maximum: 64), maximumPacketSize: 64)
        assertDecodeError(
            [0x30, 0xFF, 0xFF, 0xFF, 0x7F], .packetTooLarge(size: 268_435_460, maximum: 1_024), maximumPacketSize: 1_024)
        XCTAssertEqual(MQTTDecodeError.packetTooLarge(size: 129, maximum: 64).reasonCode, .packetTooLarge)
    }

    func testPacketTooLargeIsRefusedWhileTheLengthIsStillArriving() {
        // 0xFF 0xFF says at least 16 383 bytes follow: no need to wait for the rest of the length.
        assertDecodeError([0x30, 0xFF, 0xFF], .packetTooLarge(size: 16_387, maximum: 1_000), maximumPacketSize: 1_000)
        assertDecodeError([0x30, 0xFF], .packetTooLarge(size: 130, maximum: 100), maximumPacketSize: 100)
        // Could still fit: keep waiting.
        XCTAssertNil(try decodeOne(Bytes.buffer([0x30, 0xFF]), version: .v5, direction: .any, maximumPacketSize: 200))
    }

    func testPacketAtExactlyTheMaximumIsAccepted() throws {
        let packet = MQTTPacket.publish(PublishPacket(topic: "t", payload: ByteBuffer(repeating: 1, count: 100)))
        let bytes = encode(packet, version: .v3_1_1)
        XCTAssertEqual(try decodeOne(bytes, version: .v3_1_1, direction: .any, maximumPacketSize: bytes.readableBytes), packet)
        assertDecodeError(
            Array(buffer: bytes), .packetTooLarge(size: bytes.readableBytes, maximum: bytes.readableBytes - 1),
            version: .v3_1_1, maximumPacketSize: bytes.readableBytes - 1)
    }

    func testTruncated() {
        // The topic announces 5 bytes but the packet holds 1.
        assertDecodeError(Bytes.packet(0x30, [0x00, 0x05, 0x61]), .truncated, version: .v3_1_1)
        // A v5 CONNACK must carry a property length.
        assertDecodeError(Bytes.packet(0x20, [0x00, 0x00]), .truncated, version: .v5)
        assertDecodeError(Bytes.packet(0x40, [0x00]), .truncated, version: .v3_1_1)
        XCTAssertEqual(MQTTDecodeError.truncated.reasonCode, .malformedPacket)
    }

    func testTrailingBytes() {
        assertDecodeError(Bytes.packet(0xC0, [0x00]), .trailingBytes(1))
        assertDecodeError(Bytes.packet(0xC0, [0x00]), .trailingBytes(1), direction: .clientToServer)
        assertDecodeError(Bytes.packet(0xD0, [0x00]), .trailingBytes(1), direction: .serverToClient)
        assertDecodeError(Bytes.packet(0x40, [0x00, 0x01, 0x00, 0x00]), .trailingBytes(2), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xE0, [0x00]), .trailingBytes(1), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0x20, [0x00, 0x00, 0x00]), .trailingBytes(1), version: .v3_1_1)
        assertDecodeError(Bytes.packet(0xB0, [0x00, 0x01, 0x00]), .trailingBytes(1), version: .v3_1_1)
    }

    func testPacketTypeZero() {
        assertDecodeError([0x00, 0x00], .invalidPacketType(0))
    }

    func testAuthDoesNotExistIn311() {
        for direction in [PacketDirection.clientToServer, .serverToClient, .any] {
            assertDecodeError([0xF0, 0x00], .invalidPacketType(15), version: .v3_1_1, direction: direction)
        }
    }

    func testPacketsFromTheWrongSide() {
        assertDecodeError([0x20, 0x02, 0x00, 0x00], .unexpectedPacketType(.connAck), direction: .clientToServer)
        assertDecodeError([0x90, 0x03, 0x00, 0x01, 0x00], .unexpectedPacketType(.subAck), direction: .clientToServer)
        assertDecodeError([0xD0, 0x00], .unexpectedPacketType(.pingResp), direction: .clientToServer)
        assertDecodeError([0xC0, 0x00], .unexpectedPacketType(.pingReq), direction: .serverToClient)
        assertDecodeError(Bytes.packet(0xA2, [0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x61]), .unexpectedPacketType(.unsubscribe), direction: .serverToClient)
        let connect = encode(.connect(ConnectPacket(version: .v3_1_1, clientID: "c")), version: .v3_1_1)
        assertDecodeError(Array(buffer: connect), .unexpectedPacketType(.connect), direction: .serverToClient)
        XCTAssertEqual(MQTTDecodeError.unexpectedPacketType(.connAck).reasonCode, .protocolError)
    }

    func testReservedFixedHeaderFlags() {
        assertDecodeError(Bytes.packet(0x80, [0x00, 0x01, 0x00, 0x01, 0x61, 0x00]), .invalidFixedHeaderFlags(.subscribe, flags: 0))
        assertDecodeError(Bytes.packet(0xA0, [0x00, 0x01, 0x00, 0x00, 0x01, 0x61]), .invalidFixedHeaderFlags(.unsubscribe, flags: 0))
        assertDecodeError(Bytes.packet(0x60, [0x00, 0x01]), .invalidFixedHeaderFlags(.pubRel, flags: 0))
        assertDecodeError(Bytes.packet(0x42, [0x00, 0x01]), .invalidFixedHeaderFlags(.pubAck, flags: 2))
        assertDecodeError([0xC1, 0x00], .invalidFixedHeaderFlags(.pingReq, flags: 1))
        assertDecodeError([0x1F, 0x00], .invalidFixedHeaderFlags(.connect, flags: 0x0F))
    }

    func testQoS3InPublish() {
        assertDecodeError(Bytes.packet(0x36, [0x00, 0x01, 0x61, 0x00, 0x01]), .invalidQoS(3), version: .v3_1_1)
    }

    func testDupOnQoS0() {
        assertDecodeError(Bytes.packet(0x38, [0x00, 0x01, 0x61]), .duplicateFlagOnQoS0, version: .v3_1_1)
    }
}
