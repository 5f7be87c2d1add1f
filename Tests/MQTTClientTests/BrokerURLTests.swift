import MQTTClient
import XCTest

final class BrokerURLTests: XCTestCase {
    private func parse(_ text: String, tls: TLSOptions = TLSOptions()) throws -> BrokerURL {
        try BrokerURL(parsing: text, tls: tls)
    }

    private func assertError(_ text: String, _ expected: BrokerURL.ParseError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { error in
            XCTAssertEqual(error as? BrokerURL.ParseError, expected, file: file, line: line)
        }
    }

    func testPlainMQTTWithDefaults() throws {
        let url = try parse("mqtt://broker.local")
        XCTAssertEqual(url.transport, .tcp)
        XCTAssertEqual(url.host, "broker.local")
        XCTAssertEqual(url.port, 1883)
        XCTAssertNil(url.username)
        XCTAssertNil(url.password)
        XCTAssertNil(url.path)
    }

    func testTransportAndDefaultPortPerScheme() throws {
        let tls = TLSOptions(caFile: "/etc/ca.pem", insecure: true)
        XCTAssertEqual(try parse("mqtts://h", tls: tls).transport, .tls(tls))
        XCTAssertEqual(try parse("mqtts://h").port, 8883)
        XCTAssertEqual(try parse("ws://h").transport, .webSocket(path: "/mqtt", tls: nil))
        XCTAssertEqual(try parse("ws://h").port, 80)
        XCTAssertEqual(try parse("wss://h", tls: tls).transport, .webSocket(path: "/mqtt", tls: tls))
        XCTAssertEqual(try parse("wss://h").port, 443)
        // mosquitto's older spellings, and any case.
        XCTAssertEqual(try parse("tcp://h").transport, .tcp)
        XCTAssertEqual(try parse("ssl://h").port, 8883)
        XCTAssertEqual(try parse("MQTTS://Broker").transport, .tls(TLSOptions()))
        XCTAssertEqual(try parse("MQTTS://Broker").host, "Broker", "the host keeps its case")
    }

    func testExplicitPortAndTopicPath() throws {
        let url = try parse("mqtt://192.168.1.2:1884/livingroom/temp")
        XCTAssertEqual(url.host, "192.168.1.2")
        XCTAssertEqual(url.port, 1884)
        XCTAssertEqual(url.path, "livingroom/temp")
        XCTAssertEqual(try parse("mqtt://h/").path, "", "a bare slash is an empty path, not none")
        XCTAssertEqual(try parse("mqtt://h/a/+/#").path, "a/+/#")
    }

    func testWebSocketKeepsItsPathApart() throws {
        let url = try parse("wss://broker:8081/sensors/x")
        XCTAssertEqual(url.transport, .webSocket(path: "/mqtt", tls: TLSOptions()))
        XCTAssertEqual(url.port, 8081)
        XCTAssertEqual(url.path, "sensors/x")
    }

    func testCredentials() throws {
        let both = try parse("mqtt://iot:secret@broker:1883/t")
        XCTAssertEqual(both.username, "iot")
        XCTAssertEqual(both.password, "secret")
        XCTAssertEqual(both.host, "broker")
        XCTAssertEqual(both.port, 1883)
        XCTAssertEqual(both.path, "t")

        let userOnly = try parse("mqtt://iot@broker")
        XCTAssertEqual(userOnly.username, "iot")
        XCTAssertNil(userOnly.password)

        XCTAssertEqual(try parse("mqtt://iot:@broker").password, "", "an empty password is still a password")
        // The last @ ends the credentials, so an unescaped @ in the password survives.
        let atInPassword = try parse("mqtt://iot:p@ss@broker")
        XCTAssertEqual(atInPassword.password, "p@ss")
        XCTAssertEqual(atInPassword.host, "broker")
    }

    func testPercentEncodedCredentials() throws {
        let url = try parse("mqtt://user%40home:p%3Ass%2Fw%C3%B6rd%25@broker")
        XCTAssertEqual(url.username, "user@home")
        XCTAssertEqual(url.password, "p:ss/wörd%")
        XCTAssertEqual(try parse("mqtt://a%2fb%2F@h").username, "a/b/", "either case of hex digit")
    }

    func testMalformedEscapesAreKeptAsWritten() throws {
        XCTAssertEqual(try parse("mqtt://a%zzb:100%@h").username, "a%zzb")
        XCTAssertEqual(try parse("mqtt://a%zzb:100%@h").password, "100%")
        XCTAssertEqual(try parse("mqtt://%4:%@h").username, "%4")
        // A sign is not a hex digit, although Swift's integer parsing would take it.
        XCTAssertEqual(try parse("mqtt://%+f%-1@h").username, "%+f%-1")
        // A stray % does not swallow the escape right after it.
        XCTAssertEqual(try parse("mqtt://%%41@h").username, "%A")
    }

    func testIPv6InBrackets() throws {
        let url = try parse("mqtt://[::1]:1884")
        XCTAssertEqual(url.host, "::1")
        XCTAssertEqual(url.port, 1884)
        XCTAssertEqual(try parse("mqtt://[::1]").port, 1883)
        let full = try parse("mqtts://u:p@[fe80::1%25eth0]:8884/a/b")
        XCTAssertEqual(full.host, "fe80::1%25eth0", "the host is not percent-decoded")
        XCTAssertEqual(full.port, 8884)
        XCTAssertEqual(full.username, "u")
        XCTAssertEqual(full.password, "p")
        XCTAssertEqual(full.path, "a/b")
    }

    func testIPv6WithoutBracketsIsRefused() {
        assertError("mqtt://::1", .invalidHost("::1"))
        assertError("mqtt://::1:1884", .invalidHost("::1:1884"))
        assertError("mqtt://[::1", .invalidHost("[::1"))
        assertError("mqtt://[::1]1884", .invalidHost("[::1]1884"))
    }

    func testBadScheme() {
        assertError("http://broker", .unsupportedScheme("http"))
        assertError("broker:1883", .unsupportedScheme("broker:1883"))
        assertError("mqtt:/broker", .unsupportedScheme("mqtt:/broker"))
    }

    func testBadPort() throws {
        assertError("mqtt://h:0", .invalidPort("0"))
        assertError("mqtt://h:65536", .invalidPort("65536"))
        assertError("mqtt://h:abc", .invalidPort("abc"))
        assertError("mqtt://h:", .invalidPort(""))
        assertError("mqtt://h:-1", .invalidPort("-1"))
        assertError("mqtt://[::1]:", .invalidPort(""))
        XCTAssertEqual(try parse("mqtt://h:65535").port, 65535)
        XCTAssertEqual(try parse("mqtt://h:1").port, 1)
    }

    func testMissingHost() {
        assertError("mqtt://", .missingHost)
        assertError("mqtt://:1883", .missingHost)
        assertError("mqtt://iot:secret@", .missingHost)
        assertError("mqtt:///topic", .missingHost)
        assertError("mqtt://[]:1883", .missingHost)
    }

    func testErrorTexts() {
        XCTAssertEqual(BrokerURL.ParseError.unsupportedScheme("http").description, "unsupported URL scheme.", "mosquitto's words")
        XCTAssertEqual(BrokerURL.ParseError.missingHost.description, "URL has no host")
        XCTAssertEqual(BrokerURL.ParseError.invalidPort("x").description, "invalid port \"x\" in URL")
        XCTAssertTrue(BrokerURL.ParseError.invalidHost("::1").description.contains("[::1]"))
    }
}
