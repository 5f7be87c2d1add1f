import MQTTCore
import XCTest

@testable import MQTTRecording

final class RecordLineTests: XCTestCase {
    private let time = RecordTimestamp(parsing: Array("2026-12-03T09:12:00.123456Z".utf8))!

    private func roundTrip(_ message: RecordedMessage, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let encoded = RecordLineEncoder.line(for: message)
        XCTAssertEqual(encoded.last, UInt8(ascii: "\n"), file: file, line: line)
        XCTAssertEqual(encoded.filter { $0 == UInt8(ascii: "\n") }.count, 1, "one line per message", file: file, line: line)
        XCTAssertEqual(try RecordLineDecoder.decode(Array(encoded.dropLast())), .message(message), file: file, line: line)
        return encoded
    }

    func testTextPayloadIsWrittenAsTheIssueShowsIt() throws {
        let encoded = try roundTrip(RecordedMessage(time: time, topic: "livingroom/temp", payload: Array("24.1".utf8), qos: 1))
        XCTAssertEqual(
            String(decoding: encoded, as: UTF8.self),
            #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"livingroom/temp","qos":1,"retain":false,"payload":"24.1"}"# + "\n")
    }

    func testInvalidUTF8AndBinaryPayloadsUseBase64AndSurviveExactly() throws {
        let invalid: [UInt8] = [0x61, 0xFF, 0xFE, 0x00, 0xC3]
        let encoded = try roundTrip(RecordedMessage(time: time, topic: "bin", payload: invalid, retain: true))
        XCTAssertTrue(String(decoding: encoded, as: UTF8.self).contains(#""payload_b64":"Yf/+AMM=""#))
        let everyByte = (0...255).map { UInt8($0) }
        _ = try roundTrip(RecordedMessage(time: time, topic: "all", payload: everyByte))
    }

    func testControlCharactersQuotesAndUnicodeStayText() throws {
        let text = "line1\nline2\t\"quoted\" \\ back \u{7F} \u{01} é 漢字 🎉"
        let encoded = try roundTrip(RecordedMessage(time: time, topic: "t/é/\"x\"", payload: Array(text.utf8)))
        XCTAssertTrue(String(decoding: encoded, as: UTF8.self).contains(#""payload":""#))
        XCTAssertFalse(encoded.dropLast().contains(where: { $0 < 0x20 }), "no raw control bytes in the line")
    }

    func testEscapesAtTheEdgesOfAPayloadAndBetweenRunsAreExact() throws {
        let payload = Array("\"a\u{1F}\\\n\u{7F}b\t".utf8)
        let encoded = try roundTrip(RecordedMessage(time: time, topic: "e", payload: payload))
        XCTAssertTrue(String(decoding: encoded, as: UTF8.self).hasSuffix(#","payload":"\"a\u001f\\\n\u007fb\t"}"# + "\n"),
                      String(decoding: encoded, as: UTF8.self))
    }

    func testLinesAppendedToOneBufferAreTheLinesOneAfterTheOther() {
        let first = RecordedMessage(time: time, topic: "a", payload: Array("1".utf8))
        let second = RecordedMessage(time: time, topic: "b/\"q\"", payload: [0xFF], retain: true)
        var buffer = Array("already here\n".utf8)
        RecordLineEncoder.append(first, to: &buffer)
        RecordLineEncoder.append(second, to: &buffer)
        XCTAssertEqual(buffer, Array("already here\n".utf8) + RecordLineEncoder.line(for: first) + RecordLineEncoder.line(for: second))
    }

    func testEmptyPayloadAndV5PropertiesRoundTrip() throws {
        let message = RecordedMessage(
            time: time, topic: "a/b", payload: [], qos: 2, retain: true,
            userProperties: [.init("k", "v"), .init("k", "v2"), .init("", "")], contentType: "text/plain",
            responseTopic: "reply/to", correlationData: [0, 1, 0xFF], messageExpiry: 30, payloadFormat: 1)
        let encoded = String(decoding: try roundTrip(message), as: UTF8.self)
        XCTAssertTrue(encoded.contains(#""user_properties":[["k","v"],["k","v2"],["",""]]"#), encoded)
        XCTAssertTrue(encoded.contains(#""correlation_data_b64":"AAH/""#), encoded)
        XCTAssertEqual(RecordedMessage(PublishPacketFixture.make(message), time: time), message, "PUBLISH properties map both ways")
    }

    func testHeaderRoundTrip() throws {
        let header = RecordingHeader(broker: "mqtt://127.0.0.1:1883", filters: ["a/#", "b"], start: time, tool: "mqdash 1.0")
        let line = RecordLineEncoder.line(for: header)
        XCTAssertTrue(String(decoding: line, as: UTF8.self).hasPrefix(#"{"mqdash_recording":1,"#))
        XCTAssertEqual(try RecordLineDecoder.decode(Array(line.dropLast())), .header(header))
    }

    func testNewerFormatVersionIsRefusedByName() {
        XCTAssertThrowsError(try RecordLineDecoder.decode(Array(#"{"mqdash_recording":2}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("version 2 is newer"), "\(error)")
        }
    }

    /// Captured from `mosquitto_sub -V 5 -F %J` (mosquitto 2.0.11) against mosquitto.
    func testMosquittoSubJSONOutputIsRead() throws {
        let line = #"{"tst":"2026-12-03T20:14:28.395826Z+0000","topic":"a/b","qos":0,"retain":0,"payloadlen":8,"properties":{"user-properties":{"k":"v","k2":"v2"},"content-type":"text/plain","correlation-data":"abc","response-topic":"r/t","payload-format-indicator":1,"message-expiry-interval":30},"payload":{"x":1}}"#
        let expected = RecordedMessage(
            time: RecordTimestamp(parsing: Array("2026-12-03T20:14:28.395826Z".utf8))!, topic: "a/b", payload: Array(#"{"x":1}"#.utf8),
            userProperties: [.init("k", "v"), .init("k2", "v2")], contentType: "text/plain", responseTopic: "r/t",
            correlationData: Array("abc".utf8), messageExpiry: 30, payloadFormat: 1)
        XCTAssertEqual(try RecordLineDecoder.decode(Array(line.utf8)), .message(expected))
        let empty = #"{"tst":"2026-12-03T20:14:28.405706Z+0000","topic":"a/d","qos":1,"retain":1,"payloadlen":0,"payload":null}"#
        guard case .message(let message) = try RecordLineDecoder.decode(Array(empty.utf8)) else { return XCTFail() }
        XCTAssertEqual(message.payload, [])
        XCTAssertEqual(message.qos, 1)
        XCTAssertTrue(message.retain)
    }

    /// `mqdash sub -F %J` uses mosquitto's names; a payload that is a JSON string keeps its quotes (it is JSON text).
    func testMqdashSubJSONOutputKeepsThePayloadText() throws {
        let line = #"{"tst":"2026-12-03T21:14:28.000001Z+0100","topic":"s","qos":2,"retain":0,"payloadlen":4,"mid":1,"payload":"hi"}"#
        guard case .message(let message) = try RecordLineDecoder.decode(Array(line.utf8)) else { return XCTFail() }
        XCTAssertEqual(message.payload, Array(#""hi""#.utf8))
        XCTAssertEqual(message.time, RecordTimestamp(parsing: Array("2026-12-03T20:14:28.000001Z".utf8)), "local time with its offset")
    }

    func testCorruptLinesGiveReasons() {
        let cases: [(String, String)] = [
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","payl"#, "truncated"),
            ("hello", "not JSON"),
            ("[1,2]", "not a JSON object"),
            (#"{"a":1}"#, "not a message"),
            (#"{"ts":"yesterday","topic":"a","payload":""}"#, "\"ts\""),
            (#"{"ts":"2026-12-03T09:12:00Z","payload":""}"#, "topic"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":3,"payload":""}"#, "qos"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","payload_b64":"!!"}"#, "base64"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","payload":"x","payload_b64":"eA=="}"#, "one"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","payload":""} x"#, "not JSON"),
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "deep"),
        ]
        for (line, reason) in cases {
            XCTAssertThrowsError(try RecordLineDecoder.decode(Array(line.utf8)), line) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(line): \(error)")
            }
        }
        XCTAssertEqual(try RecordLineDecoder.decode(Array("  \r".utf8)), .blank)
    }

    func testTimestampsFormatAndParse() {
        let cases: [(String, Int64)] = [
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T00:00:00.000001Z", 1),
            ("1969-12-31T23:59:59.999999Z", -1),
            ("2000-02-29T12:00:00.5Z", 951_825_600_500_000),
            ("2026-12-03T10:12:00.123456+01:00", 1_796_289_120_123_456),
            ("2026-12-03T09:12:00.123456789Z", 1_796_289_120_123_456),
        ]
        for (text, micros) in cases {
            XCTAssertEqual(RecordTimestamp(parsing: Array(text.utf8))?.microsecondsSince1970, micros, text)
        }
        XCTAssertEqual(RecordTimestamp(microsecondsSince1970: -1).description, "1969-12-31T23:59:59.999999Z")
        XCTAssertEqual(RecordTimestamp(microsecondsSince1970: 1_796_289_120_123_456).description, "2026-12-03T09:12:00.123456Z")
        for bad in ["2026-13-01T00:00:00Z", "2026-12-03", "2026-12-03T09:12:00.Z", "2026-12-03T09:12:00Zjunk"] {
            XCTAssertNil(RecordTimestamp(parsing: Array(bad.utf8)), bad)
        }
        // Every day of a few centuries survives the trip through text.
        for day in stride(from: -100_000 as Int64, to: 100_000, by: 37) {
            let stamp = RecordTimestamp(microsecondsSince1970: day * 86_400_000_000 + 3_723_000_042)
            XCTAssertEqual(RecordTimestamp(parsing: stamp.iso8601), stamp, stamp.description)
        }
    }
}

enum PublishPacketFixture {
    static func make(_ message: RecordedMessage) -> PublishPacket {
        PublishPacket(
            topic: message.topic, payload: .init(bytes: message.payload), qos: QoS(rawValue: message.qos)!, retain: message.retain,
            packetID: message.qos > 0 ? 7 : nil, properties: Properties(message.properties.items + [.subscriptionIdentifier(3)]))
    }
}

/// The dashboard's CSV export rows.
final class CSVExportTests: XCTestCase {
    private let time = RecordTimestamp(microsecondsSince1970: 1_796_289_120_123_456)

    func testTextPayloadsAreQuotedWhenTheyMustBeAndBinaryIsBase64() {
        let plain = RecordedMessage(time: time, topic: "a/b", payload: Array("21.5".utf8), qos: 1, retain: true)
        XCTAssertEqual(String(decoding: CSVExport.row(for: plain), as: UTF8.self), "2026-12-03T09:12:00.123456Z,a/b,1,true,21.5,\r\n")
        let tricky = RecordedMessage(time: time, topic: "a,b", payload: Array("say \"hi\"\nbye".utf8))
        XCTAssertEqual(String(decoding: CSVExport.row(for: tricky), as: UTF8.self),
                       "2026-12-03T09:12:00.123456Z,\"a,b\",0,false,\"say \"\"hi\"\"\nbye\",\r\n")
        let binary = RecordedMessage(time: time, topic: "bin", payload: [0xFF, 0x00, 0x41])
        XCTAssertEqual(String(decoding: CSVExport.row(for: binary), as: UTF8.self), "2026-12-03T09:12:00.123456Z,bin,0,false,,/wBB\r\n")
        XCTAssertEqual(String(decoding: CSVExport.row(time: time, value: 24.5), as: UTF8.self), "2026-12-03T09:12:00.123456Z,24.5\r\n")
    }
}
