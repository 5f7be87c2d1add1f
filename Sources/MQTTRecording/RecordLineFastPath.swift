import MQTTCore

/// The line shape mqdash's own writer gives a message with no v5 properties and a text payload:
/// `{"ts":"…","topic":"…","qos":N,"retain":B,"payload":"…"}`, in that order, with no spaces.
/// Nearly every line of a recording has it, and reading it straight from the bytes skips the JSON tree (a
/// member list and an array per string); escapes are undone by the parser's own `JSONLexer.unescape`. Anything
/// else (another field order, `payload_b64`, properties, `-F %J`, a bad escape) returns nil and goes to the full
/// parser, which also gives the errors.
enum RecordLineFastPath {
    static func message(_ line: [UInt8]) -> RecordedMessage? {
        var reader = Reader(bytes: line)
        guard reader.skip(#"{"ts":""#), let timeText = reader.string(),
            reader.skip(#","topic":""#), let topic = reader.string(),
            reader.skip(#","qos":"#), let qos = reader.digit(), qos <= 2,
            reader.skip(#","retain":"#), let retain = reader.bool(),
            reader.skip(#","payload":""#), let payload = reader.string(),
            reader.skip("}"), reader.atEnd,
            !timeText.escaped, let time = RecordTimestamp(parsing: line[timeText.range])
        else { return nil }
        let topicBytes = reader.contents(topic)
        guard !topicBytes.isEmpty else { return nil }
        return RecordedMessage(
            time: time, topic: String(decoding: topicBytes, as: UTF8.self), payload: Array(reader.contents(payload)), qos: qos,
            retain: retain)
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position == bytes.count }

        /// Consumes `literal` if the bytes here are exactly it.
        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
            for index in 0..<count where bytes[position + index] != expected[index] { return false }
            position += count
            return true
        }

        /// The body of a string whose opening quote was consumed, up to its closing quote (consumed). nil where
        /// `JSONLexer` would refuse it (a control byte, an unknown escape), so the full parser says why.
        mutating func string() -> (range: Range<Int>, escaped: Bool)? {
            let start = position
            var escaped = false
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\\"):
                    escaped = true
                    guard position + 1 < bytes.count else { return nil }
                    switch bytes[position + 1] {
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        position += 2
                    case UInt8(ascii: "u"):
                        guard position + 6 <= bytes.count,
                            bytes[position + 2..<position + 6].allSatisfy({ JSONLexer.hexValue($0) != nil })
                        else { return nil }
                        position += 6
                    default: return nil
                    }
                case UInt8(ascii: "\""):
                    position += 1
                    return (start..<position - 1, escaped)
                case 0x00..<0x20: return nil
                default: position += 1
                }
            }
            return nil
        }

        /// A string's bytes as the full parser gives them: unescaped by the same code when it has escapes.
        func contents(_ string: (range: Range<Int>, escaped: Bool)) -> ArraySlice<UInt8> {
            string.escaped ? ArraySlice(JSONLexer.unescape(bytes[string.range])) : bytes[string.range]
        }

        /// One digit followed by a `,` (not consumed): the writer's QoS.
        mutating func digit() -> UInt8? {
            guard position + 1 < bytes.count, JSONLexer.isDigit(bytes[position]), bytes[position + 1] == UInt8(ascii: ",") else { return nil }
            position += 1
            return bytes[position - 1] - UInt8(ascii: "0")
        }

        mutating func bool() -> Bool? {
            if skip("true") { return true }
            if skip("false") { return false }
            return nil
        }
    }
}
