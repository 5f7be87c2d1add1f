import MQTTCore
import NIOCore
import XCTest

/// A packet that cannot be encoded must leave the output buffer as it was, so a stream is never corrupted.
final class EncodeErrorTests: XCTestCase {
    private func assertEncodeFails(_ packet: MQTTPacket, _ expected: MQTTEncodeError, file: StaticString = #filePath, line: UInt = #line) {
        var buffer = Bytes.buffer("before")
        XCTAssertThrowsError(try packet.write(into: &buffer, version: .v5), file: file, line: line) { error in
            XCTAssertEqual(error as? MQTTEncodeError, expected, file: file, line: line)
        }
        XCTAssertEqual(buffer, Bytes.buffer("before"), "nothing half-written", file: file, line: line)
    }

    func testStringOver65535BytesLeavesTheBufferUntouched() {
        let long = String(repeating: "a", count: 70_000)
        assertEncodeFails(.publish(PublishPacket(topic: long, payload: ByteBuffer())), .stringTooLong(70_000))
        assertEncodeFails(
            .publish(PublishPacket(topic: "t", payload: ByteBuffer(), properties: [.userProperty("k", long)])), .stringTooLong(70_000))
        assertEncodeFails(.subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: "a"), Subscription(filter: long)])),
                          .stringTooLong(70_000))
        assertEncodeFails(
            .connect(ConnectPacket(version: .v5, clientID: "c", password: ByteBuffer(repeating: 0, count: 70_000))), .stringTooLong(70_000))
    }

    func testEncodedSizeOfAnUnencodablePacket() {
        let packet = MQTTPacket.publish(PublishPacket(topic: String(repeating: "a", count: 70_000), payload: ByteBuffer()))
        XCTAssertEqual(packet.encodedSize(version: .v5), Int.max)
    }
}
