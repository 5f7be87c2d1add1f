import ArgumentParser
import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import mqdash

/// mosquitto_sub's output modes. Expected texts were checked against mosquitto_sub 2.0.11.
final class MessageFormatterTests: XCTestCase {
    /// 2023-11-14 22:13:20.25 UTC: a quarter second, exact in binary, so fractions print exactly.
    private let time = Date(timeIntervalSince1970: 1_700_000_000.25)

    private func message(
        _ payload: [UInt8], topic: String = "livingroom/temp", qos: QoS = .atMostOnce, retain: Bool = false, id: UInt16? = nil,
        properties: Properties = []
    ) -> PublishPacket {
        PublishPacket(
            topic: topic, payload: ByteBuffer(bytes: payload), qos: qos, retain: retain, packetID: id, properties: properties)
    }

    private func message(
        _ payload: String, topic: String = "livingroom/temp", qos: QoS = .atMostOnce, retain: Bool = false, id: UInt16? = nil,
        properties: Properties = []
    ) -> PublishPacket {
        message(Array(payload.utf8), topic: topic, qos: qos, retain: retain, id: id, properties: properties)
    }

    private func render(
        _ message: PublishPacket, format: String? = nil, verbose: Bool = false, noNewline: Bool = false
    ) -> (text: String, bytes: [UInt8], error: String?) {
        var parsed: OutputFormat?
        if let format {
            parsed = try? OutputFormat(parsing: format)
            XCTAssertNotNil(parsed, "format \(format) refused")
        }
        let formatter = MessageFormatter(verbose: verbose, format: parsed, noNewline: noNewline)
        let result = formatter.render(message, receivedAt: time)
        return (String(decoding: result.output, as: UTF8.self), result.output, result.error)
    }

    /// A `%j`/`%J` record with its time stamp checked for shape and replaced by `TST`.
    private func jsonWithoutTime(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let stamp = try Regex(#""tst":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.250000Z[+-]\d{4}""#)
        XCTAssertNotNil(text.firstMatch(of: stamp), "time stamp shape in \(text)", file: file, line: line)
        return text.replacing(stamp, with: #""tst":"TST""#)
    }

    // MARK: - Without -F

    func testPlainPrintsThePayloadAndANewline() {
        XCTAssertEqual(render(message("24.1")).text, "24.1\n")
        // An empty payload prints nothing at all, not even the newline.
        XCTAssertEqual(render(message("")).bytes, [])
    }

    func testVerbosePrefixesTheTopic() {
        XCTAssertEqual(render(message("24.1"), verbose: true).text, "livingroom/temp 24.1\n")
        XCTAssertEqual(render(message(""), verbose: true).text, "livingroom/temp (null)\n")
    }

    func testNoNewline() {
        XCTAssertEqual(render(message("24.1"), noNewline: true).text, "24.1")
        XCTAssertEqual(render(message("24.1"), verbose: true, noNewline: true).text, "livingroom/temp 24.1")
    }

    func testBinaryPayloadIsWrittenUnchanged() {
        let bytes: [UInt8] = [0x00, 0xFF, 0xC3, 0x28, 0x0A]
        XCTAssertEqual(render(message(bytes), noNewline: true).bytes, bytes)
    }

    // MARK: - -F fields

    func testMessageFields() {
        let received = message("hi!", topic: "a/b", qos: .atLeastOnce, retain: true, id: 7)
        XCTAssertEqual(render(received, format: "%t|%p|%q|%r|%l|%m").text, "a/b|hi!|1|1|3|7\n")
        XCTAssertEqual(render(message("x"), format: "%q %r %m").text, "0 0 0\n", "QoS 0 prints message id 0")
    }

    func testHexFields() {
        let received = message([0x0A, 0xFF, 0x41, 0x00])
        XCTAssertEqual(render(received, format: "%x %X").text, "0aff4100 0AFF4100\n")
    }

    func testPropertyFields() {
        let properties: Properties = [
            .userProperty("k1", "v1"), .contentType("text/plain"), .userProperty("k2", "v2"), .responseTopic("r/t"),
            .messageExpiryInterval(60), .payloadFormatIndicator(1), .subscriptionIdentifier(4), .subscriptionIdentifier(9),
            .correlationData(ByteBuffer(string: "cd")),
        ]
        let received = message("x", properties: properties)
        XCTAssertEqual(render(received, format: "%P|%C|%R|%E|%F|%S|%D").text, "k1:v1 k2:v2|text/plain|r/t|60|1|4,9|cd\n")
        XCTAssertEqual(render(message("x"), format: "[%P|%C|%R|%E|%F|%S|%D]").text, "[||||||]\n", "absent properties print nothing")
    }

    func testPercentAndEscapes() {
        XCTAssertEqual(render(message("x"), format: "100%% %p").text, "100% x\n")
        XCTAssertEqual(render(message("x"), format: #"a\tb\nc"#).text, "a\tb\nc\n")
        XCTAssertEqual(render(message("x"), format: #"\\ \e \a \0 \r \v"#).bytes, Array("\\ \u{1B} \u{07} \0 \r \u{0B}\n".utf8))
    }

    func testUnknownSpecifiersAreRefusedUpFront() {
        // mosquitto_sub's own texts, given before it connects.
        for (format, message) in [
            ("%z", "Invalid format specifier 'z'."), (#"\q"#, "Invalid escape specifier 'q'."),
        ] {
            XCTAssertThrowsError(try OutputFormat(parsing: format)) { error in
                XCTAssertEqual((error as? ValidationError)?.message, message)
            }
        }
    }

    func testFormatHonoursNoNewline() {
        XCTAssertEqual(render(message("x"), format: "%t:%p", noNewline: true).text, "livingroom/temp:x")
    }

    func testISOAndUnixTime() throws {
        let iso = render(message("x"), format: "%I", noNewline: true).text
        XCTAssertNotNil(iso.wholeMatch(of: try Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}"#)), iso)
        XCTAssertEqual(render(message("x"), format: "%U").text, "1700000000.250000000\n")
        // @ fields agree with %I, in whichever time zone the test runs.
        let fields = render(message("x"), format: "@Y-@m-@dT@H:@M:@S", noNewline: true).text
        XCTAssertEqual(fields, String(iso.prefix(19)))
        XCTAssertEqual(render(message("x"), format: "@s @N @@").text, "1700000000 250000000 @\n")
    }

    // MARK: - JSON

    func testJSONRecordEscapesAndOrdersLikeMosquitto() throws {
        let received = message(
            "he said \"hi\"\n\ttab\u{01}\\", topic: #"a/"q""#, qos: .exactlyOnce, retain: true, id: 12,
            properties: [.userProperty("k\"1", "v1"), .contentType("ct"), .userProperty("k2", "v\n2")])
        let result = render(received, format: "%j")
        XCTAssertNil(result.error)
        XCTAssertEqual(
            try jsonWithoutTime(result.text),
            #"{"tst":"TST","topic":"a/\"q\"","qos":2,"retain":1,"payloadlen":19,"mid":12,"#
                + #""properties":{"user-properties":{"k\"1":"v1","k2":"v\n2"},"content-type":"ct"},"#
                + #""payload":"he said \"hi\"\n\ttab\u0001\\"}"# + "\n")

        // And it is JSON that gives the payload back.
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.bytes)) as? [String: Any])
        XCTAssertEqual(object["payload"] as? String, "he said \"hi\"\n\ttab\u{01}\\")
        XCTAssertEqual(object["topic"] as? String, #"a/"q""#)
    }

    func testJSONRecordOfAQoS0MessageHasNoMid() throws {
        let text = render(message("x", topic: "a/b"), format: "%j").text
        XCTAssertEqual(try jsonWithoutTime(text), #"{"tst":"TST","topic":"a/b","qos":0,"retain":0,"payloadlen":1,"payload":"x"}"# + "\n")
    }

    func testJSONPropertiesFollowTheirOrderOnTheWire() throws {
        let properties: Properties = [
            .subscriptionIdentifier(4), .contentType("ct"), .userProperty("k", "v"), .correlationData(ByteBuffer(string: "cd")),
            .userProperty("k2", "v2"), .payloadFormatIndicator(1), .messageExpiryInterval(9), .responseTopic("rt"), .topicAlias(3),
        ]
        let text = render(message("x", topic: "a/b", properties: properties), format: "%j").text
        XCTAssertEqual(
            try jsonWithoutTime(text),
            #"{"tst":"TST","topic":"a/b","qos":0,"retain":0,"payloadlen":1,"properties":{"subscription-identifier":4,"#
                + #""content-type":"ct","user-properties":{"k":"v","k2":"v2"},"correlation-data":"cd","payload-format-indicator":1,"#
                + #""message-expiry-interval":9,"response-topic":"rt","topic-alias":3},"payload":"x"}"# + "\n")
    }

    func testEmptyPayloadIsNullInBothJSONForms() throws {
        for format in ["%j", "%J"] {
            let result = render(message("", topic: "a/b"), format: format)
            XCTAssertNil(result.error)
            XCTAssertEqual(
                try jsonWithoutTime(result.text), #"{"tst":"TST","topic":"a/b","qos":0,"retain":0,"payloadlen":0,"payload":null}"# + "\n")
        }
    }

    func testJSONPayloadIsEmbeddedWithCapitalJ() throws {
        let result = render(message(#"{"a":[1,2],"b":"c"}"#, topic: "a/b", qos: .atLeastOnce, id: 1), format: "%J")
        XCTAssertNil(result.error)
        XCTAssertEqual(
            try jsonWithoutTime(result.text),
            #"{"tst":"TST","topic":"a/b","qos":1,"retain":0,"payloadlen":19,"mid":1,"payload":{"a":[1,2],"b":"c"}}"# + "\n")
        // Scalars are JSON too.
        XCTAssertTrue(render(message("42", topic: "a/b"), format: "%J").text.hasSuffix(#""payload":42}"# + "\n"))
        XCTAssertTrue(render(message("true", topic: "a/b"), format: "%J").text.hasSuffix(#""payload":true}"# + "\n"))
    }

    func testNonJSONPayloadWithCapitalJIsAnError() {
        let result = render(message("24.1 C", topic: "livingroom/temp"), format: "%J")
        XCTAssertEqual(result.error, "Error: Message payload is not valid JSON on topic livingroom/temp.")
        XCTAssertEqual(result.text, "\n", "like mosquitto_sub: the record is left out, the line ends")
        // The rest of the format is still printed.
        XCTAssertEqual(render(message("nope", topic: "t"), format: "<%J> %t").text, "<> t\n")
    }
}
