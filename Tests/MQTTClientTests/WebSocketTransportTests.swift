@testable import MQTTClient
import MQTTWebSocket
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import XCTest

/// The WebSocket pieces on an embedded channel: framing of the MQTT byte stream and the upgrade request.
final class WebSocketTransportTests: XCTestCase {
    private func activeChannel(_ handler: some ChannelHandler) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return channel
    }

    /// A client frame as it leaves through NIO's encoder, unpacked by hand: (first byte, masked?, payload after unmasking).
    private func readWireFrame(_ channel: EmbeddedChannel) throws -> (first: UInt8, masked: Bool, payload: [UInt8])? {
        // The encoder may write the header and the payload as separate buffers.
        var bytes: [UInt8] = []
        while let part = try channel.readOutbound(as: ByteBuffer.self) { bytes += part.readableBytesView }
        guard bytes.count >= 2 else { return nil }
        let length = Int(bytes[1] & 0x7F)  // the tests send short frames only
        let masked = bytes[1] & 0x80 != 0
        guard masked else { return (bytes[0], false, Array(bytes[2...])) }
        let key = Array(bytes[2..<6])
        let payload = bytes[6..<(6 + length)].enumerated().map { $0.element ^ key[$0.offset % 4] }
        return (bytes[0], true, payload)
    }

    private func clientChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([WebSocketFrameEncoder(), WebSocketByteStreamHandler(role: .client)])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).wait()
        return channel
    }

    func testOutgoingBytesGoInMaskedBinaryFrames() throws {
        let channel = try clientChannel()
        let bytes: [UInt8] = [0x30, 0x05, 0x00, 0x01, 0x61, 0x68, 0x69]
        try channel.writeOutbound(ByteBuffer(bytes: bytes))
        let frame = try XCTUnwrap(try readWireFrame(channel))
        XCTAssertEqual(frame.first, 0x82, "FIN and the binary opcode")
        XCTAssertTrue(frame.masked, "a client must mask every frame (RFC 6455 5.3)")
        XCTAssertEqual(frame.payload, bytes)
        _ = try channel.finish()
    }

    func testIncomingFramesAreUnwrappedIntoTheByteStream() throws {
        let channel = try activeChannel(WebSocketByteStreamHandler(role: .client))
        // One MQTT packet split over a binary frame and a continuation frame.
        try channel.writeInbound(WebSocketFrame(fin: false, opcode: .binary, data: ByteBuffer(bytes: [0x20, 0x02])))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .continuation, data: ByteBuffer(bytes: [0x00, 0x00])))
        XCTAssertEqual(try channel.readInbound(as: ByteBuffer.self), ByteBuffer(bytes: [0x20, 0x02]))
        XCTAssertEqual(try channel.readInbound(as: ByteBuffer.self), ByteBuffer(bytes: [0x00, 0x00]))
        // Pongs carry nothing for MQTT.
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer(bytes: [1])))
        XCTAssertNil(try channel.readInbound(as: ByteBuffer.self))
        _ = try channel.finish()
    }

    func testPingIsAnsweredWithAMaskedPong() throws {
        let channel = try activeChannel(WebSocketByteStreamHandler(role: .client))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "hello")))
        let pong = try XCTUnwrap(try channel.readOutbound(as: WebSocketFrame.self))
        XCTAssertEqual(pong.opcode, .pong)
        XCTAssertTrue(pong.fin)
        XCTAssertNotNil(pong.maskKey, "NIO's encoder masks with this key on the way out")
        // An outgoing frame holds its payload in the clear; the encoder applies the mask.
        XCTAssertEqual(pong.data, ByteBuffer(string: "hello"))
        XCTAssertNil(try channel.readInbound(as: ByteBuffer.self))
        _ = try channel.finish()
    }

    func testCloseFrameClosesTheConnection() throws {
        let channel = try activeChannel(WebSocketByteStreamHandler(role: .client))
        try channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer()))
        XCTAssertFalse(channel.isActive)
    }

    func testUpgradeRequestAsksForTheMQTTSubprotocol() throws {
        let requester = WebSocketUpgradeRequester(host: "broker.local", path: "/mqtt") { _ in XCTFail("no failure expected") }
        let channel = try activeChannel(requester)
        guard case .head(let head) = try channel.readOutbound(as: HTTPClientRequestPart.self) else {
            return XCTFail("expected the request head first")
        }
        XCTAssertEqual(head.method, .GET)
        XCTAssertEqual(head.uri, "/mqtt")
        XCTAssertEqual(head.version, .http1_1)
        XCTAssertEqual(head.headers["Host"], ["broker.local"])
        XCTAssertEqual(head.headers["Sec-WebSocket-Protocol"], ["mqtt"])
        guard case .end(nil) = try channel.readOutbound(as: HTTPClientRequestPart.self) else {
            return XCTFail("expected the end of the request")
        }
        _ = try channel.finish()
    }

    func testAPlainHTTPAnswerFailsTheUpgrade() throws {
        final class Reasons { var list: [String] = [] }
        let reasons = Reasons()
        let channel = try activeChannel(WebSocketUpgradeRequester(host: "b", path: "/mqtt") { reasons.list.append("\($0)") })
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .notFound)))
        XCTAssertEqual(reasons.list, ["WebSocket upgrade failed: HTTP 404 Not Found"])
        XCTAssertFalse(channel.isActive)
    }
}
