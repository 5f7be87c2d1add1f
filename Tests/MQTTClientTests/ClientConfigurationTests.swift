@testable import MQTTClient
import MQTTCore
import NIOCore
import XCTest

final class ClientConfigurationTests: XCTestCase {
    func testPortDefaultsFollowTheTransport() {
        XCTAssertEqual(MQTTClientConfiguration().port, 1883)
        XCTAssertEqual(MQTTClientConfiguration(transport: .tls(TLSOptions())).port, 8883)
        XCTAssertEqual(MQTTClientConfiguration(transport: .webSocket(path: "/mqtt", tls: nil)).port, 80)
        XCTAssertEqual(MQTTClientConfiguration(transport: .webSocket(path: "/mqtt", tls: TLSOptions())).port, 443)
        XCTAssertEqual(MQTTClientConfiguration(port: 1884, transport: .tls(TLSOptions())).port, 1884)
    }

    func testDefaultsMatchMosquittoSub() {
        let configuration = MQTTClientConfiguration()
        XCTAssertEqual(configuration.host, "localhost")
        XCTAssertEqual(configuration.version, .v3_1_1)
        XCTAssertEqual(configuration.clientID, "")
        XCTAssertTrue(configuration.cleanStart)
        XCTAssertEqual(configuration.keepAlive, 60)
        XCTAssertNil(configuration.reconnect, "a lost connection ends the client, like mosquitto_sub")
    }

    func testBrokerURLText() {
        XCTAssertEqual(MQTTClientConfiguration().brokerURL, "mqtt://localhost:1883")
        XCTAssertEqual(MQTTClientConfiguration(host: "::1", port: 1884).brokerURL, "mqtt://[::1]:1884")
        XCTAssertEqual(MQTTClientConfiguration(host: "b", transport: .tls(TLSOptions())).brokerURL, "mqtts://b:8883")
        XCTAssertEqual(
            MQTTClientConfiguration(host: "b", port: 9001, transport: .webSocket(path: "/mqtt", tls: nil)).brokerURL, "ws://b:9001/mqtt")
        XCTAssertEqual(MQTTClientConfiguration(host: "b", transport: .webSocket(path: "/ws", tls: TLSOptions())).brokerURL, "wss://b:443/ws")
    }

    func testV311ConnectCarriesTheSettingsAndNoProperties() {
        let will = Will(topic: "status/x", payload: ByteBuffer(string: "gone"), qos: .atLeastOnce, retain: true)
        let configuration = MQTTClientConfiguration(
            version: .v3_1_1, clientID: "testsubscriber", cleanStart: false, keepAlive: 30, username: "iot", password: "secret",
            will: will, maximumPacketSize: 1024, topicAliasMaximum: 10)
        let connect = configuration.makeConnectPacket(cleanStart: true)
        XCTAssertEqual(
            connect,
            ConnectPacket(
                version: .v3_1_1, clientID: "testsubscriber", cleanStart: true, keepAlive: 30, username: "iot",
                password: ByteBuffer(string: "secret"), will: will, properties: []))
    }

    func testV5AnnouncesItsLimitsByDefault() {
        XCTAssertEqual(MQTTClientConfiguration().maximumPacketSize, 16_777_216, "16 MiB, sized for dashboards")
        let connect = MQTTClientConfiguration(version: .v5).makeConnectPacket(cleanStart: true)
        // So that a v5 broker never sends what we would refuse (spec 3.1.2.11.4).
        XCTAssertEqual(connect.properties, [.maximumPacketSize(16_777_216), .topicAliasMaximum(64)])
        // MQTT's own ceiling needs no announcing.
        let unlimited = MQTTClientConfiguration(version: .v5, maximumPacketSize: 268_435_460).makeConnectPacket(cleanStart: true)
        XCTAssertEqual(unlimited.properties, [.topicAliasMaximum(64)])
        XCTAssertNil(connect.password)
        XCTAssertNil(connect.username)
    }

    func testV5AddsLimitsAfterTheCallersProperties() {
        let configuration = MQTTClientConfiguration(
            version: .v5, connectProperties: [.sessionExpiryInterval(60), .userProperty("site", "home")], maximumPacketSize: 1024,
            topicAliasMaximum: 0)
        XCTAssertEqual(
            configuration.makeConnectPacket(cleanStart: false).properties,
            [.sessionExpiryInterval(60), .userProperty("site", "home"), .maximumPacketSize(1024)],
            "a topic alias maximum of 0 means none and is left out")
    }

    func testV5SendsEachLimitOnceAndTheFieldsWin() throws {
        let configuration = MQTTClientConfiguration(
            version: .v5, connectProperties: [.topicAliasMaximum(10), .maximumPacketSize(2048), .receiveMaximum(5)],
            maximumPacketSize: 4096, topicAliasMaximum: 20)
        let connect = configuration.makeConnectPacket(cleanStart: true)
        XCTAssertEqual(connect.properties, [.receiveMaximum(5), .maximumPacketSize(4096), .topicAliasMaximum(20)])

        // What a broker reads back: no duplicate property, which would close the connection.
        var bytes = ByteBuffer()
        try MQTTPacket.connect(connect).write(into: &bytes, version: .v5)
        var decoder = PacketDecoder(version: .v5, direction: .clientToServer)
        XCTAssertEqual(try decoder.next(from: &bytes), .connect(connect))
    }
}

/// What bridges need of the client: MQTT 3.1's CONNECT header, and TLS-PSK keys in mosquitto's hex form.
final class BridgeClientOptionTests: XCTestCase {
    func testSpeakingMQTT31ChangesOnlyTheConnectHeader() throws {
        var configuration = MQTTClientConfiguration(version: .v3_1_1, clientID: "old-broker-bridge")
        configuration.speaksMQTT31 = true
        configuration.isBridge = true
        var bytes = ByteBuffer()
        try MQTTPacket.connect(configuration.makeConnectPacket(cleanStart: true)).write(into: &bytes, version: .v3_1_1)
        // Fixed header (2 bytes), then the protocol name "MQIsdp" and level 3 with try_private's bridge bit.
        XCTAssertEqual(bytes.getBytes(at: 2, length: 9), [0, 6] + Array("MQIsdp".utf8) + [0x83])
        var decoder = PacketDecoder(version: .v3_1_1, direction: .clientToServer)
        guard case .connect(let connect) = try decoder.next(from: &bytes) else { return XCTFail("not a CONNECT") }
        XCTAssertTrue(connect.isMQTT31)
        XCTAssertEqual(connect.clientID, "old-broker-bridge")

        var plain = MQTTClientConfiguration(version: .v3_1_1)
        XCTAssertFalse(plain.makeConnectPacket(cleanStart: true).isMQTT31)
        plain.version = .v5
        plain.speaksMQTT31 = true
        XCTAssertFalse(plain.makeConnectPacket(cleanStart: true).isMQTT31, "3.1 is a header on 3.1.1 packets, never on v5")
    }

    func testPreSharedKeysReadAsMosquittoWritesThem() {
        XCTAssertEqual(PreSharedKey(identity: "edge", hex: "0a1B2c")?.key, [0x0A, 0x1B, 0x2C])
        XCTAssertEqual(PreSharedKey(identity: "edge", hex: "abc")?.key, [0x0A, 0xBC], "an odd count reads with a leading 0")
        XCTAssertNil(PreSharedKey(identity: "edge", hex: "zz"))
        XCTAssertNil(PreSharedKey(identity: "edge", hex: ""))
    }
}
