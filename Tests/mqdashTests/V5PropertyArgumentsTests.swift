import ArgumentParser
import MQTTCore
import NIOCore
import XCTest

@testable import mqdash

/// `-D command identifier value`, as ArgumentParser hands the values over: one flat list.
final class V5PropertyArgumentsTests: XCTestCase {
    private func parse(_ words: String..., version: MQTTVersion = .v5) throws -> V5PropertyArguments {
        try V5PropertyArguments(parsing: words, version: version)
    }

    private func assertRefused(
        _ words: [String], version: MQTTVersion = .v5, _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try V5PropertyArguments(parsing: words, version: version), file: file, line: line) { error in
            XCTAssertEqual((error as? ValidationError)?.message, message, file: file, line: line)
        }
    }

    func testUserPropertyTakesANameAndAValue() throws {
        let parsed = try parse("publish", "user-property", "room", "kitchen")
        XCTAssertEqual(parsed.publish, [.userProperty("room", "kitchen")])
        XCTAssertEqual(parsed.connect, [])
    }

    func testSeveralGroupsGoToTheirPackets() throws {
        let parsed = try parse(
            "connect", "session-expiry-interval", "60",
            "publish", "content-type", "text/plain",
            "publish", "user-property", "a", "b",
            "publish", "user-property", "a", "c",
            "subscribe", "subscription-identifier", "5",
            "will", "message-expiry-interval", "10",
            "disconnect", "reason-string", "bye",
            "unsubscribe", "user-property", "k", "v",
            "connect", "receive-maximum", "20",
            "publish", "correlation-data", "req-1")
        XCTAssertEqual(parsed.connect, [.sessionExpiryInterval(60), .receiveMaximum(20)])
        XCTAssertEqual(
            parsed.publish,
            [.contentType("text/plain"), .userProperty("a", "b"), .userProperty("a", "c"), .correlationData(ByteBuffer(string: "req-1"))],
            "user properties repeat, in the order given")
        XCTAssertEqual(parsed.subscribe, [.subscriptionIdentifier(5)])
        XCTAssertEqual(parsed.will, [.messageExpiryInterval(10)])
        XCTAssertEqual(parsed.disconnect, [.reasonString("bye")])
        XCTAssertEqual(parsed.unsubscribe, [.userProperty("k", "v")])
    }

    func testNothingGivenIsFineInEitherVersion() throws {
        XCTAssertEqual(try V5PropertyArguments(parsing: [], version: .v3_1_1).publish, [])
        XCTAssertEqual(try V5PropertyArguments(parsing: [], version: .v5).connect, [])
    }

    func testPropertiesAreCheckedWhateverTheVersion() {
        // With -V mqttv311 mosquitto ignores -D, but a malformed one is still an error.
        XCTAssertNoThrow(try parse("publish", "content-type", "x", version: .v3_1_1))
        assertRefused(["publish", "colour", "red"], version: .v3_1_1, "-D: unknown property 'colour'.")
    }

    func testUnknownCommandOrProperty() {
        assertRefused(
            ["pubish", "content-type", "x"],
            "-D: unknown command 'pubish' (connect, publish, subscribe, unsubscribe, disconnect, will).")
        assertRefused(["publish", "colour", "red"], "-D: unknown property 'colour'.")
    }

    func testPropertyNotAllowedForTheCommand() {
        assertRefused(["publish", "session-expiry-interval", "1"], "-D: property 'session-expiry-interval' is not allowed with 'publish'.")
        assertRefused(["connect", "content-type", "x"], "-D: property 'content-type' is not allowed with 'connect'.")
        assertRefused(["subscribe", "topic-alias", "1"], "-D: property 'topic-alias' is not allowed with 'subscribe'.")
        // Only a broker sends subscription identifiers in PUBLISH.
        assertRefused(["publish", "subscription-identifier", "3"], "-D: property 'subscription-identifier' is not allowed with 'publish'.")
    }

    func testMissingWords() {
        assertRefused(["publish"], "-D publish: missing property identifier.")
        assertRefused(["publish", "content-type"], "-D publish content-type: missing value.")
        assertRefused(["publish", "user-property", "room"], "-D publish user-property: needs a name and a value.")
    }

    func testNumbersAreChecked() {
        assertRefused(["connect", "receive-maximum", "lots"], "-D receive-maximum: 'lots' is not a valid number.")
        assertRefused(["connect", "receive-maximum", "70000"], "-D receive-maximum: '70000' is not a valid number.")
        assertRefused(["publish", "message-expiry-interval", "-1"], "-D message-expiry-interval: '-1' is not a valid number.")
    }

    func testValuesTheSpecRulesOutAreRefused() {
        assertRefused(["connect", "receive-maximum", "0"], "-D receive-maximum: '0' is not a valid value.")
        assertRefused(["connect", "maximum-packet-size", "0"], "-D maximum-packet-size: '0' is not a valid value.")
        assertRefused(["publish", "payload-format-indicator", "2"], "-D payload-format-indicator: '2' is not a valid value.")
        assertRefused(["subscribe", "subscription-identifier", "0"], "-D subscription-identifier: '0' is not a valid value.")
    }

    func testARepeatedPropertyIsRefused() {
        assertRefused(
            ["publish", "content-type", "a", "publish", "content-type", "b"], "-D publish content-type: given more than once.")
        // The same property for different packets is not a repeat.
        XCTAssertNoThrow(try parse("publish", "content-type", "a", "will", "content-type", "b"))
    }
}
