import ArgumentParser
@testable import MQTTClient
import MQTTCore
import XCTest

@testable import mqdash

/// The shared connection flags turned into a client configuration.
final class ConnectionOptionsTests: XCTestCase {
    private func configuration(_ arguments: String..., urlTopic: inout String?) throws -> MQTTClientConfiguration {
        let (configuration, _, topic) = try ConnectionOptions.parse(arguments).publisherConfiguration()
        urlTopic = topic
        return configuration
    }

    private func configuration(_ arguments: String...) throws -> MQTTClientConfiguration {
        try ConnectionOptions.parse(arguments).publisherConfiguration().0
    }

    func testMosquittoFlags() throws {
        let config = try configuration("-h", "192.168.1.2", "-p", "1884", "-u", "iot", "-P", "secret", "-i", "testsubscriber", "-k", "30")
        XCTAssertEqual(config.host, "192.168.1.2")
        XCTAssertEqual(config.port, 1884)
        XCTAssertEqual(config.username, "iot")
        XCTAssertEqual(config.password, "secret")
        XCTAssertEqual(config.clientID, "testsubscriber")
        XCTAssertEqual(config.keepAlive, 30)
        XCTAssertEqual(config.version, .v3_1_1)
        XCTAssertEqual(config.transport, .tcp)
        XCTAssertTrue(config.cleanStart)
    }

    func testURLGivesHostCredentialsAndTopic() throws {
        var topic: String?
        let config = try configuration("-L", "mqtt://iot:s%40cret@broker:1884/livingroom/temp", urlTopic: &topic)
        XCTAssertEqual(config.host, "broker")
        XCTAssertEqual(config.port, 1884)
        XCTAssertEqual(config.username, "iot")
        XCTAssertEqual(config.password, "s@cret")
        XCTAssertEqual(topic, "livingroom/temp")

        // As with mosquitto's -L, the path is the topic for every scheme; WebSockets always use /mqtt.
        var wsTopic: String?
        let ws = try configuration("-L", "ws://broker:9001/sensors/x", urlTopic: &wsTopic)
        XCTAssertEqual(ws.transport, .webSocket(path: "/mqtt", tls: nil))
        XCTAssertEqual(ws.port, 9001)
        XCTAssertEqual(wsTopic, "sensors/x")
    }

    func testBadURLIsAUsageError() {
        XCTAssertThrowsError(try configuration("-L", "http://broker")) { error in
            XCTAssertEqual((error as? ValidationError)?.message, "unsupported URL scheme.")
        }
    }

    func testKeepingTheSessionNeedsAClientID() {
        XCTAssertThrowsError(try configuration("-c")) { error in
            XCTAssertEqual((error as? ValidationError)?.message, "You must provide a client id if you are using the -c option.")
        }
    }

    func testSessionExpiryIsSentOnce() throws {
        // -c alone keeps the session for ever.
        XCTAssertEqual(try configuration("-V", "5", "-c", "-i", "x").connectProperties, [.sessionExpiryInterval(UInt32.max)])
        // A -D value wins over -c's default...
        XCTAssertEqual(
            try configuration("-V", "5", "-c", "-i", "x", "-D", "connect", "session-expiry-interval", "60").connectProperties,
            [.sessionExpiryInterval(60)])
        // ...and -x over both.
        XCTAssertEqual(
            try configuration("-V", "5", "-c", "-i", "x", "-x", "30", "-D", "connect", "session-expiry-interval", "60").connectProperties,
            [.sessionExpiryInterval(30)])
        XCTAssertEqual(try configuration("-V", "5", "-x", "-1").connectProperties, [.sessionExpiryInterval(UInt32.max)])
        XCTAssertEqual(try configuration("-V", "5", "-c", "-i", "x", "-x", "0").connectProperties, [])
        XCTAssertEqual(try configuration("-V", "5").connectProperties, [])
        // 3.1.1 has no properties at all.
        XCTAssertEqual(try configuration("-c", "-i", "x").connectProperties, [])
    }

    func testLimitsGivenWithDBecomeTheClientsOwn() throws {
        let config = try configuration(
            "-V", "5", "-D", "connect", "topic-alias-maximum", "10", "-D", "connect", "maximum-packet-size", "5000")
        XCTAssertEqual(config.topicAliasMaximum, 10)
        XCTAssertEqual(config.maximumPacketSize, 5000)
        XCTAssertEqual(config.makeConnectPacket(cleanStart: true).properties, [.maximumPacketSize(5000), .topicAliasMaximum(10)])
    }

    func testDImpliesVersion5UnlessVersionIsGiven() throws {
        let implied = try configuration("-D", "connect", "session-expiry-interval", "60")
        XCTAssertEqual(implied.version, .v5)
        XCTAssertEqual(implied.connectProperties, [.sessionExpiryInterval(60)])
        // Like mosquitto, an explicit 3.1.1 keeps 3.1.1 (which has no properties to send).
        XCTAssertEqual(try configuration("-V", "mqttv311", "-D", "connect", "session-expiry-interval", "60").version, .v3_1_1)
    }

    func testProtocolVersionSpellings() throws {
        XCTAssertEqual(try configuration("-V", "mqttv5").version, .v5)
        XCTAssertEqual(try configuration("-V", "311").version, .v3_1_1)
        XCTAssertThrowsError(try configuration("-V", "31"))
        XCTAssertThrowsError(try configuration("-V", "6"))
    }
}
