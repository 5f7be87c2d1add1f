import XCTest

@testable import MQTTRecording

/// The decoder's fast path for the writer's own line shape: it reads what the full parser reads, and every other
/// shape falls back to the full parser (so `decode` gives the same message or the same error either way).
final class RecordLineFastPathTests: XCTestCase {
    private let time = RecordTimestamp(parsing: Array("2026-12-03T09:12:00.123456Z".utf8))!

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Both paths on `line`: the fast one must take it, and agree with the full parser.
    private func assertFast(_ line: String, file: StaticString = #filePath, line number: UInt = #line) throws -> RecordedMessage {
        let fast = try XCTUnwrap(RecordLineFastPath.message(bytes(line)), "fast path should take: \(line)", file: file, line: number)
        XCTAssertEqual(try RecordLineDecoder.decode(bytes(line)), .message(fast), file: file, line: number)
        return fast
    }

    /// The fast path must leave `line` to the full parser, which still reads it (or refuses it) as before.
    private func assertFallsBack(_ line: String, file: StaticString = #filePath, line number: UInt = #line) {
        XCTAssertNil(RecordLineFastPath.message(bytes(line)), "fast path should fall back: \(line)", file: file, line: number)
    }

    func testTheWritersOwnLinesTakeTheFastPathAndMatchTheFullParser() throws {
        for message in [
            RecordedMessage(time: time, topic: "livingroom/temp", payload: bytes("24.1"), qos: 1),
            RecordedMessage(time: time, topic: "a", payload: [], qos: 2, retain: true),
            RecordedMessage(time: time, topic: "t/é/漢字", payload: bytes(#"{'n': 1} é 🎉"#), qos: 0),
            // Escapes, undone by the same code as the full parser's: quotes in JSON payloads are the common case.
            RecordedMessage(time: time, topic: "flood/1", payload: bytes(#"{"n":1,"temp":21.5}"#)),
            RecordedMessage(time: time, topic: "q", payload: bytes("say \"hi\"\n\\ \r\t\u{01}\u{7F}")),
            RecordedMessage(time: time, topic: #"t/"x"\y"#, payload: bytes("1")),
        ] {
            let line = String(decoding: RecordLineEncoder.line(for: message).dropLast(), as: UTF8.self)
            XCTAssertEqual(try assertFast(line), message)
        }
    }

    func testEscapesOtherWritersUseAreReadAsTheFullParserReadsThem() throws {
        let line = #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"a\/b","qos":0,"retain":false,"payload":"\u00e9\ud83c\udf89\b\f"}"#
        let message = try assertFast(line)
        XCTAssertEqual(message.topic, "a/b")
        XCTAssertEqual(String(decoding: message.payload, as: UTF8.self), "é🎉\u{08}\u{0C}")
    }

    func testOddOrderBase64PropertiesAndOtherDialectsFallBackAndStillDecode() throws {
        let fallbacks: [RecordedMessage] = [
            RecordedMessage(time: time, topic: "bin", payload: [0xFF, 0x00]),
            RecordedMessage(time: time, topic: "v5", payload: bytes("1"), userProperties: [.init("k", "v")]),
            RecordedMessage(time: time, topic: "v5", payload: bytes("1"), contentType: "text/plain"),
            RecordedMessage(time: time, topic: "v5", payload: bytes("1"), messageExpiry: 30),
        ]
        for message in fallbacks {
            let line = Array(RecordLineEncoder.line(for: message).dropLast())
            XCTAssertNil(RecordLineFastPath.message(line), String(decoding: line, as: UTF8.self))
            XCTAssertEqual(try RecordLineDecoder.decode(line), .message(message))
        }
        let odd = [
            #"{"topic":"a","ts":"2026-12-03T09:12:00.123456Z","qos":0,"retain":false,"payload":"x"}"#,
            #"{ "ts":"2026-12-03T09:12:00.123456Z","topic":"a","qos":0,"retain":false,"payload":"x"}"#,
            #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"a","qos":0,"retain":false,"payload":"x"} "#,
            #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"a","payload":"x"}"#,
            #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"a","qos":0,"retain":false,"payload":"x","decoded":{"n":1}}"#,
            #"{"ts":"2026-12-03T09:12:00.123456Z","topic":"a","qos":0,"retain":false,"payload":"x","qos":1}"#,
        ]
        for line in odd {
            assertFallsBack(line)
            guard case .message(let message) = try RecordLineDecoder.decode(bytes(line)) else { return XCTFail(line) }
            XCTAssertEqual(message.topic, "a")
            XCTAssertEqual(message.payload, bytes("x"))
        }
        let subJSON = #"{"tst":"2026-12-03T09:12:00.123456Z+0000","topic":"a","qos":0,"retain":0,"payloadlen":1,"payload":1}"#
        assertFallsBack(subJSON)
        XCTAssertEqual(try RecordLineDecoder.decode(bytes(subJSON)), .message(RecordedMessage(time: time, topic: "a", payload: bytes("1"))))
    }

    /// Lines of the right shape with a bad value: the fast path refuses them, so the full parser's errors stand.
    func testBadValuesInTheWritersShapeGetTheFullParsersErrors() {
        let cases = [
            (#"{"ts":"yesterday","topic":"a","qos":0,"retain":false,"payload":"x"}"#, "is not a time"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"","qos":0,"retain":false,"payload":"x"}"#, "no \"topic\" string"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":3,"retain":false,"payload":"x"}"#, "\"qos\" must be 0, 1 or 2"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"x""#, "truncated JSON"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"x"}}"#, "not JSON"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"\x"}"#, "not JSON"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"\u12G4"}"#, "not JSON"),
            (#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"x\"#, "truncated JSON"),
        ]
        for (line, reason) in cases {
            assertFallsBack(line)
            XCTAssertThrowsError(try RecordLineDecoder.decode(bytes(line)), line) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(line): \(error)")
            }
        }
    }

    /// A raw control byte inside a string is not JSON: the fast path must not accept what the full parser refuses.
    func testARawControlByteFallsBackAndIsRefused() {
        let line = Array(#"{"ts":"2026-12-03T09:12:00Z","topic":"a","qos":0,"retain":false,"payload":"x"#.utf8) + [0x01]
            + Array(#""}"#.utf8)
        XCTAssertNil(RecordLineFastPath.message(line))
        XCTAssertThrowsError(try RecordLineDecoder.decode(line))
    }
}
