import MQTTCore
import NIOCore
import XCTest

/// Small builders shared by the codec tests, so each test reads as bytes in, packet or error out.
enum Bytes {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }
    static func buffer(_ string: String) -> ByteBuffer { ByteBuffer(string: string) }

    /// An MQTT string on the wire: two-byte big-endian length, then the raw bytes.
    static func string(_ raw: [UInt8]) -> [UInt8] { [UInt8(raw.count >> 8), UInt8(raw.count & 0xFF)] + raw }
    static func string(_ text: String) -> [UInt8] { string(Array(text.utf8)) }

    /// A whole packet from its first byte and body; the body is kept under 128 bytes so one length byte suffices.
    static func packet(_ first: UInt8, _ body: [UInt8]) -> [UInt8] {
        precondition(body.count < 128, "tests build small packets only")
        return [first, UInt8(body.count)] + body
    }
}

/// Where a packet type may be decoded, so a round trip uses a realistic direction and not `.any`.
func directions(for packet: MQTTPacket) -> [PacketDirection] {
    switch packet {
    case .connect, .subscribe, .unsubscribe, .pingReq: [.clientToServer]
    // Subscription identifiers in a PUBLISH come only from the server (MQTT-3.3.4-6).
    case .publish(let publish) where !publish.properties.subscriptionIdentifiers.isEmpty: [.serverToClient]
    case .connAck, .subAck, .unsubAck, .pingResp: [.serverToClient]
    case .publish, .pubAck, .pubRec, .pubRel, .pubComp, .disconnect, .auth: [.clientToServer, .serverToClient]
    }
}

func encode(_ packet: MQTTPacket, version: MQTTVersion, file: StaticString = #filePath, line: UInt = #line) -> ByteBuffer {
    var buffer = ByteBuffer()
    XCTAssertNoThrow(try packet.write(into: &buffer, version: version), file: file, line: line)
    return buffer
}

/// Decodes exactly one packet from `bytes` and requires the buffer to be consumed.
func decodeOne(
    _ bytes: ByteBuffer, version: MQTTVersion, direction: PacketDirection, maximumPacketSize: Int? = nil
) throws(MQTTDecodeError) -> MQTTPacket? {
    var decoder = maximumPacketSize.map { PacketDecoder(version: version, direction: direction, maximumPacketSize: $0) }
        ?? PacketDecoder(version: version, direction: direction)
    var buffer = bytes
    let packet = try decoder.next(from: &buffer)
    if packet != nil && buffer.readableBytes != 0 { XCTFail("\(buffer.readableBytes) bytes left after one packet") }
    return packet
}

/// Asserts that decoding `bytes` fails with exactly `expected`.
func assertDecodeError(
    _ bytes: [UInt8], _ expected: MQTTDecodeError, version: MQTTVersion = .v5, direction: PacketDirection = .any,
    maximumPacketSize: Int? = nil, file: StaticString = #filePath, line: UInt = #line
) {
    do throws(MQTTDecodeError) {
        let packet = try decodeOne(Bytes.buffer(bytes), version: version, direction: direction, maximumPacketSize: maximumPacketSize)
        XCTFail("expected \(expected), decoded \(String(describing: packet))", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}
