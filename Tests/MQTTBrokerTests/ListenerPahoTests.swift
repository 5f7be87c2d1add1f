import Foundation
import MQTTBroker
import NIOPosix
import XCTest

/// A third-party WebSocket client against our listener: paho-mqtt from the `.venv` that
/// `make deps` prepares (skipped when it is not there).
final class ListenerPahoTests: XCTestCase {
    private static let script = """
        import sys, threading
        import paho.mqtt.client as mqtt
        port, ca = int(sys.argv[1]), (sys.argv[2] if len(sys.argv) > 2 else None)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="paho-ws", transport="websockets")
        if ca:
            client.tls_set(ca_certs=ca)
        connected = threading.Event()
        codes = []
        def on_connect(client, userdata, flags, reason, properties):
            codes.append(reason)
            connected.set()
        client.on_connect = on_connect
        client.connect("127.0.0.1", port, keepalive=10)
        client.loop_start()
        ok = connected.wait(5) and not codes[0].is_failure
        if ok:
            client.publish("t", "from paho").wait_for_publish(5)
        client.disconnect()
        client.loop_stop()
        print(codes)
        sys.exit(0 if ok else 1)
        """

    private var python: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let python = root.appendingPathComponent(".venv/bin/python").path
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw XCTSkip("no .venv with paho-mqtt (make deps)")
            }
            return python
        }
    }

    private func publishWithPaho(tls certificates: TestCertificates?) async throws {
        let python = try python
        var config = BrokerConfiguration.Listener(port: 0, bindAddress: "127.0.0.1")
        config.transport = .websockets
        config.tls.certfile = certificates?.serverCert
        config.tls.keyfile = certificates?.serverKey
        let recorder = MQTTRecorder()
        let listener = try await ListenerBinder.bind(config, isLocalOnly: false, group: MultiThreadedEventLoopGroup.singleton,
                                                     initializeMQTT: recorder.initializeMQTT)
        let arguments = ["-c", Self.script, String(listener.port)] + (certificates.map { [$0.caFile] } ?? [])
        let result = try await Task.detached { try runProcess(python, arguments) }.value
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        // Sent is not yet read on our side: wait (bounded) for the event loop to get there.
        let arrived = try await waitUntil { recorder.payloads == ["from paho"] }
        XCTAssertTrue(arrived, "\(recorder.payloads)")
        XCTAssertEqual(recorder.clientIDs, ["paho-ws"])
        await listener.close()
    }

    func testPahoOverWebSocket() async throws {
        try await publishWithPaho(tls: nil)
    }

    func testPahoOverSecureWebSocket() async throws {
        try await publishWithPaho(tls: try TestCertificates.make())
    }
}
