import Foundation
@testable import MQTTBroker
import MQTTClient
import MQTTCore
import NIOCore
import NIOPosix
import TestSupport
import XCTest

/// The listeners with real sockets: our own client over every transport, raw bytes where the
/// client cannot misbehave on purpose, and mosquitto_pub over TLS.
final class ListenerTests: XCTestCase {
    private var bound: [BoundListener] = []

    override func tearDown() async throws {
        for listener in bound {
            for channel in listener.channels { try? await channel.close() }
        }
        bound = []
    }

    private func listener(port: Int = 0, transport: BrokerConfiguration.TransportProtocol = .mqtt) -> BrokerConfiguration.Listener {
        var listener = BrokerConfiguration.Listener(port: port, bindAddress: "127.0.0.1")
        listener.transport = transport
        return listener
    }

    private func bind(_ listener: BrokerConfiguration.Listener, localOnly: Bool = false, recorder: MQTTRecorder,
                      onRefused: @escaping @Sendable (ListenerBinder.RefusedConnection) -> Void = { _ in }) async throws -> BoundListener {
        let result = try await ListenerBinder.bind(
            listener, isLocalOnly: localOnly, group: MultiThreadedEventLoopGroup.singleton,
            onRefusedConnection: onRefused, initializeMQTT: recorder.initializeMQTT)
        bound.append(result)
        return result
    }

    /// Connects our client, checks the CONNACK, disconnects.
    private func connectClient(host: String = "127.0.0.1", port: Int, transport: Transport, clientID: String) async throws {
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: host, port: port, transport: transport, clientID: clientID, connectTimeout: .seconds(5)))
        let connAck = try await client.connect()
        XCTAssertEqual(connAck.reasonCode, .success)
        await client.disconnect()
    }

    private func expectConnectFailure(port: Int, transport: Transport, _ check: (MQTTClientError) -> Bool,
                                      file: StaticString = #filePath, line: UInt = #line) async {
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: port, transport: transport, clientID: "refused", connectTimeout: .seconds(5)))
        do {
            _ = try await client.connect()
            XCTFail("the connection should have failed", file: file, line: line)
            await client.disconnect()
        } catch let error as MQTTClientError {
            XCTAssertTrue(check(error), "unexpected error: \(error)", file: file, line: line)
        } catch {
            XCTFail("unexpected error type: \(error)", file: file, line: line)
        }
    }

    // MARK: Plain TCP

    func testPlainTCPCarriesMQTTWithNoDelay() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(listener(), recorder: recorder)
        XCTAssertNotEqual(listener.port, 0, "port 0 becomes a real port")
        XCTAssertEqual(listener.localAddresses.map(\.ipAddress), ["127.0.0.1"])
        XCTAssertEqual(listener.sockets.map(\.openingLogLine), ["Opening ipv4 listen socket on port \(listener.port)."])
        XCTAssertEqual(listener.urls, ["mqtt://127.0.0.1:\(listener.port)"])

        try await connectClient(port: listener.port, transport: .tcp, clientID: "plain")
        XCTAssertEqual(recorder.clientIDs, ["plain"])
        XCTAssertEqual(recorder.noDelay, [true], "TCP_NODELAY on accepted sockets")
    }

    func testLocalOnlyModeListensOnLoopbackOnly() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(BrokerConfiguration.Listener(port: 0, bindAddress: "127.0.0.1", isDefault: true),
                                      localOnly: true, recorder: recorder)
        let addresses = listener.localAddresses.compactMap(\.ipAddress)
        XCTAssertEqual(addresses.first, "127.0.0.1")
        XCTAssertTrue(addresses.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" }, "\(addresses)")
        XCTAssertEqual(Set(listener.localAddresses.compactMap(\.port)).count, 1, "one port for both sockets")
        try await connectClient(port: listener.port, transport: .tcp, clientID: "v4")
        if addresses.contains("::1") {
            try await connectClient(host: "::1", port: listener.port, transport: .tcp, clientID: "v6")
            XCTAssertEqual(listener.sockets.map(\.openingLogLine).last, "Opening ipv6 listen socket on port \(listener.port).")
        }
    }

    func testListenerWithoutAddressListensOnEveryInterface() async throws {
        let recorder = MQTTRecorder()
        let port = freeLoopbackPort()
        let listener = try await bind(BrokerConfiguration.Listener(port: port), recorder: recorder)
        let addresses = listener.localAddresses.compactMap(\.ipAddress)
        XCTAssertEqual(addresses.first, "0.0.0.0")
        XCTAssertTrue(addresses.dropFirst().allSatisfy { $0 == "::" }, "\(addresses)")
        try await connectClient(port: port, transport: .tcp, clientID: "any")
    }

    func testHostNameBindsEveryAddressItResolvesTo() async throws {
        let recorder = MQTTRecorder()
        let listener = try await bind(BrokerConfiguration.Listener(port: 0, bindAddress: "localhost"), recorder: recorder)
        let addresses = listener.localAddresses.compactMap(\.ipAddress)
        XCTAssertEqual(addresses.first, "127.0.0.1", "IPv4 first")
        XCTAssertTrue(addresses.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" }, "\(addresses)")
        try await connectClient(port: listener.port, transport: .tcp, clientID: "localhost")
    }

    func testUnixSocketListener() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("mqtt.sock")
        let recorder = MQTTRecorder()
        let listener = try await bind(BrokerConfiguration.Listener(port: 0, bindAddress: path), recorder: recorder)
        XCTAssertEqual(listener.sockets.map(\.openingLogLine), ["Opening unix listen socket on path \(path)."])
        XCTAssertEqual(listener.urls, ["unix:\(path)"])
        let connection = try RawConnection(unixPath: path)
        connection.send(try connectBytes(clientID: "unix"))
        XCTAssertEqual(connection.receive(4), [0x20, 0x02, 0x00, 0x00], "CONNACK")
        XCTAssertEqual(recorder.clientIDs, ["unix"])
    }

    // MARK: Errors

    func testUnresolvableHostName() async throws {
        // Not a host name at all (a space): glibc refuses it without asking a DNS server, so the
        // test sends nothing beyond loopback (no-such-host.invalid would go to the resolver).
        var config = BrokerConfiguration.Listener(port: 1883, bindAddress: "no such host.invalid")
        config.definedAt = ("b.conf", 3)
        do {
            _ = try await bind(config, recorder: MQTTRecorder())
            XCTFail("the name does not resolve")
        } catch let error as ListenerError {
            XCTAssertEqual(error.description, "Error: cannot resolve the listener address \"no such host.invalid\" (listener 1883 at b.conf:3).")
        }
    }

    func testPortInUseIsExplained() async throws {
        let recorder = MQTTRecorder()
        let first = try await bind(listener(), recorder: recorder)
        var second = BrokerConfiguration.Listener(port: first.port, bindAddress: "127.0.0.1")
        second.definedAt = ("/etc/mqdash/broker.conf", 7)
        do {
            _ = try await bind(second, recorder: recorder)
            XCTFail("the port is taken")
        } catch let error as ListenerError {
            XCTAssertEqual(error, .addressInUse(address: "127.0.0.1", port: first.port,
                                                listener: "listener \(first.port) at /etc/mqdash/broker.conf:7"))
            let text = error.description
            XCTAssertTrue(text.contains("127.0.0.1:\(first.port) is already in use"), text)
            XCTAssertTrue(text.contains("mosquitto") && text.contains("-p"), text)
            XCTAssertFalse(text.contains("errno"), text)
        }
    }

    /// Root may bind any port, and CI runs as root: the kernel's refusal is injected instead, as the
    /// errno that the bind of a port below 1024 fails with for anyone else.
    func testPrivilegedPortIsExplainedWhenNotRoot() {
        for code in [EACCES, EPERM] {
            let error = ListenerError.fromBind(errno: code, address: "0.0.0.0", port: 1, listener: "listener 1 at b.conf:2")
            guard case .permissionDenied(address: "0.0.0.0", port: 1, listener: "listener 1 at b.conf:2") = error else {
                XCTFail("errno \(code): \(error)")
                continue
            }
            XCTAssertTrue(error.description.contains("below 1024"), error.description)
        }
    }

    func testPermissionDeniedWording() {
        let error = ListenerError.permissionDenied(address: "0.0.0.0", port: 883, listener: "listener 883 at b.conf:2")
        XCTAssertEqual(error.description, "Error: permission denied to listen on 0.0.0.0:883 (listener 883 at b.conf:2). "
            + "Ports below 1024 need root or the CAP_NET_BIND_SERVICE capability; pick a port from 1024 up with -p (1883 is MQTT's).")
    }

    // MARK: max_connections

    func testConnectionsBeyondMaxConnectionsAreClosedAtOnce() async throws {
        let recorder = MQTTRecorder()
        let refusals = MQTTRecorder()
        var config = listener()
        config.maxConnections = 1
        let listener = try await bind(config, recorder: recorder) { refused in
            refusals.published(refused.logLine)
        }
        let first = try RawConnection(port: listener.port)
        first.send(try connectBytes(clientID: "first"))
        XCTAssertEqual(first.receive(4), [0x20, 0x02, 0x00, 0x00], "CONNACK")

        let second = try RawConnection(port: listener.port)
        XCTAssertTrue(second.isClosedByPeer(), "the second connection is closed without a word")
        XCTAssertEqual(listener.connections.refused, 1)
        XCTAssertEqual(refusals.payloads, ["Client connection from 127.0.0.1 denied: max_connections exceeded."])
        XCTAssertEqual(recorder.clientIDs, ["first"])

        // A slot freed is a slot available again.
        first.send([0xE0, 0x00])  // DISCONNECT
        XCTAssertTrue(first.isClosedByPeer())
        let freed = try await waitUntil { listener.connections.open == 0 }
        XCTAssertTrue(freed)
        let third = try RawConnection(port: listener.port)
        third.send(try connectBytes(clientID: "third"))
        XCTAssertEqual(third.receive(4), [0x20, 0x02, 0x00, 0x00])
    }
}
