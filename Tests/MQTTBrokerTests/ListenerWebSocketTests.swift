import Foundation
import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import NIOPosix
import XCTest

/// WebSocket listeners: our client over ws and wss, and raw bytes for framing and refusals.
final class ListenerWebSocketTests: XCTestCase {
    private var bound: [BoundListener] = []

    override func tearDown() async throws {
        for listener in bound { await listener.close() }
        bound = []
    }

    private func bind(tls certificates: TestCertificates? = nil, recorder: MQTTRecorder) async throws -> BoundListener {
        var listener = BrokerConfiguration.Listener(port: 0, bindAddress: "127.0.0.1")
        listener.transport = .websockets
        listener.tls.certfile = certificates?.serverCert
        listener.tls.keyfile = certificates?.serverKey
        let result = try await ListenerBinder.bind(listener, isLocalOnly: false, group: MultiThreadedEventLoopGroup.singleton,
                                                   initializeMQTT: recorder.initializeMQTT)
        bound.append(result)
        return result
    }

    private func connectClient(port: Int, transport: Transport, clientID: String) async throws {
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: port, transport: transport, clientID: clientID, connectTimeout: .seconds(5)))
        let connAck = try await client.connect()
        XCTAssertEqual(connAck.reasonCode, .success)
        _ = try await client.publish(PublishPacket(topic: "t", payload: ByteBuffer(string: "over \(clientID)")))
        await client.disconnect()
    }

    func testOurClientOverWebSocket() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(recorder: recorder)
        XCTAssertEqual(listener.urls, ["ws://127.0.0.1:\(listener.port)"])
        XCTAssertEqual(listener.sockets.first?.openingLogLine, "Opening websockets listen socket on port \(listener.port).")
        try await connectClient(port: listener.port, transport: .webSocket(path: "/mqtt", tls: nil), clientID: "ws")
        XCTAssertEqual(recorder.clientIDs, ["ws"])
        let arrived = try await waitUntil { recorder.payloads == ["over ws"] }
        XCTAssertTrue(arrived, "\(recorder.payloads)")
    }

    func testOurClientOverSecureWebSocket() async throws {
        let certificates = try TestCertificates.make()
        let recorder = MQTTRecorder()
        let listener = try await bind(tls: certificates, recorder: recorder)
        XCTAssertEqual(listener.urls, ["wss://127.0.0.1:\(listener.port)"])
        try await connectClient(port: listener.port, transport: .webSocket(path: "/", tls: TLSOptions(caFile: certificates.caFile)),
                                clientID: "wss")
        XCTAssertEqual(recorder.clientIDs, ["wss"])
        let arrived = try await waitUntil { recorder.payloads == ["over wss"] }
        XCTAssertTrue(arrived, "\(recorder.payloads)")
    }

    /// Over wss a certificate the client does not trust fails the connect as the TLS error it is, at once.
    func testAnUntrustedCertificateOverSecureWebSocketIsNamedAsATLSError() async throws {
        let certificates = try TestCertificates.make()
        let listener = try await bind(tls: certificates, recorder: MQTTRecorder())
        let untrusting = TLSOptions(caFile: certificates.directory.file("otherca.crt"))
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: listener.port, transport: .webSocket(path: "/mqtt", tls: untrusting), connectTimeout: .seconds(5)))
        do {
            _ = try await client.connect()
            XCTFail("connected through an untrusted certificate")
        } catch {
            XCTAssertEqual("\(error)", "TLS error: certificate verify failed (untrusted CA, or the certificate does not name this host)")
        }
    }

    private func upgradeRequest(protocols: String?) -> String {
        var request = "GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let protocols { request += "Sec-WebSocket-Protocol: \(protocols)\r\n" }
        return request + "\r\n"
    }

    func testFramesCarryTheByteStreamBothWays() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(recorder: recorder)
        let connection = try RawConnection(port: listener.port)
        connection.send(upgradeRequest(protocols: "mqtt"))
        let head = connection.receiveHTTPHead()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        XCTAssertTrue(head.lowercased().contains("sec-websocket-protocol: mqtt\r\n"), head)
        XCTAssertTrue(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "RFC 6455's example accept key: \(head)")

        // A CONNECT split over two frames, the second also holding a whole PINGREQ.
        let connect = try connectBytes(clientID: "raw")
        connection.send(clientFrame(opcode: 0x2, fin: false, Array(connect.prefix(5))))
        connection.send(clientFrame(opcode: 0x0, Array(connect.dropFirst(5)) + [0xC0, 0x00]))
        let connAck = connection.receiveFrame()
        XCTAssertEqual(connAck?.first, 0x82, "FIN and binary")
        XCTAssertEqual(connAck?.masked, false, "a server never masks")
        XCTAssertEqual(connAck?.payload, [0x20, 0x02, 0x00, 0x00])
        XCTAssertEqual(connection.receiveFrame()?.payload, [0xD0, 0x00], "PINGRESP")
        XCTAssertEqual(recorder.clientIDs, ["raw"])

        connection.send(clientFrame(opcode: 0x9, Array("hi".utf8)))
        let pong = connection.receiveFrame()
        XCTAssertEqual(pong?.first, 0x8A, "pong")
        XCTAssertEqual(pong?.payload, Array("hi".utf8))

        connection.send(clientFrame(opcode: 0x8, [0x03, 0xE8]))
        let close = connection.receiveFrame()
        XCTAssertEqual(close?.first, 0x88, "a close frame answers the client's")
        XCTAssertEqual(close?.payload, [0x03, 0xE8], "with its status code, 1000")
        XCTAssertTrue(connection.isClosedByPeer())
    }

    func testClosingFromTheBrokerSideSendsACloseFrame() async throws {
        let listener = try await bind(recorder: MQTTRecorder())
        let connection = try RawConnection(port: listener.port)
        connection.send(upgradeRequest(protocols: "mqtt"))
        XCTAssertTrue(connection.receiveHTTPHead().hasPrefix("HTTP/1.1 101"))
        connection.send(clientFrame(opcode: 0x2, try connectBytes(clientID: "leaving") + [0xE0, 0x00]))
        XCTAssertEqual(connection.receiveFrame()?.payload, [0x20, 0x02, 0x00, 0x00])
        // The test broker closes the channel on DISCONNECT; the peer sees a WebSocket close first.
        let close = connection.receiveFrame()
        XCTAssertEqual(close?.first, 0x88)
        XCTAssertEqual(close?.payload, [0x03, 0xE8])
        XCTAssertTrue(connection.isClosedByPeer())
    }

    func testOldSubprotocolNameIsAccepted() async throws {
        let listener = try await bind(recorder: MQTTRecorder())
        let connection = try RawConnection(port: listener.port)
        connection.send(upgradeRequest(protocols: "chat, mqttv3.1"))
        let head = connection.receiveHTTPHead()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        XCTAssertTrue(head.lowercased().contains("sec-websocket-protocol: mqttv3.1\r\n"), head)
    }

    func testTextFramesEndTheConnection() async throws {
        let listener = try await bind(recorder: MQTTRecorder())
        let connection = try RawConnection(port: listener.port)
        connection.send(upgradeRequest(protocols: nil))
        let head = connection.receiveHTTPHead()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101"), head)
        XCTAssertFalse(head.lowercased().contains("sec-websocket-protocol"), "none asked, none named: \(head)")
        connection.send(clientFrame(opcode: 0x1, Array("text".utf8)))
        let close = connection.receiveFrame()
        XCTAssertEqual(close?.first, 0x88)
        XCTAssertEqual(close?.payload, [0x03, 0xEB], "1003: data it cannot accept (MQTT-6.0.0-1)")
        XCTAssertTrue(connection.isClosedByPeer())
    }

    func testPlainHTTPRequestIsRefused() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(recorder: recorder)
        let connection = try RawConnection(port: listener.port)
        connection.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = String(decoding: connection.receiveUntilClosed(), as: UTF8.self)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"), response)
        XCTAssertTrue(response.hasSuffix("This port speaks MQTT over WebSocket only (subprotocol mqtt).\n"), response)
        XCTAssertTrue(recorder.clientIDs.isEmpty)
    }

    func testUpgradeToAnotherSubprotocolIsRefused() async throws {
        let listener = try await bind(recorder: MQTTRecorder())
        let connection = try RawConnection(port: listener.port)
        connection.send(upgradeRequest(protocols: "chat"))
        let response = String(decoding: connection.receiveUntilClosed(), as: UTF8.self)
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), response)
        XCTAssertTrue(response.contains("mqtt and mqttv3.1"), response)
    }

    func testMQTTBytesWithoutAnUpgradeAreRefused() async throws {
        let listener = try await bind(recorder: MQTTRecorder())
        let connection = try RawConnection(port: listener.port)
        connection.send(try connectBytes(clientID: "confused"))
        let head = connection.receiveHTTPHead()
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 400"), "NIO's HTTP error handling answers garbage: \(head)")
        XCTAssertTrue(connection.isClosedByPeer(), "and the connection is closed, not left to the upgrade timeout")
    }
}
