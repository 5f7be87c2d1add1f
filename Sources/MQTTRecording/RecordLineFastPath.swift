/// The line shape mqdash's own writer gives a message with no v5 properties and a text payload:
/// `{"ts":"…","topic":"…","qos":N,"retain":B,"payload":"…"}`, in that order, with no escapes and no spaces.
/// Nearly every line of a recording has it, and reading it straight from the bytes skips the JSON tree (a
/// member list and an array per string). Anything else (another field order, an escape, `payload_b64`,
/// properties, `-F %J`) returns nil and goes to the full parser, which also gives the errors.
enum RecordLineFastPath {
    static func message(_ line: [UInt8]) -> RecordedMessage? {
        line.withUnsafeBufferPointer { bytes in
            var reader = Reader(bytes: bytes)
            guard reader.skip(#"{"ts":""#), let timeText = reader.plainString(),
                reader.skip(#","topic":""#), let topic = reader.plainString(), !topic.isEmpty,
                reader.skip(#","qos":"#), let qos = reader.digit(), qos <= 2,
                reader.skip(#","retain":"#), let retain = reader.bool(),
                reader.skip(#","payload":""#), let payload = reader.plainString(),
                reader.skip("}"), reader.atEnd,
                let time = RecordTimestamp(parsing: UnsafeBufferPointer(rebasing: bytes[timeText]))
            else { return nil }
            return RecordedMessage(
                time: time, topic: String(decoding: UnsafeBufferPointer(rebasing: bytes[topic]), as: UTF8.self),
                payload: Array(UnsafeBufferPointer(rebasing: bytes[payload])), qos: qos, retain: retain)
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
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

        /// The bytes of a string whose opening quote was consumed, up to its closing quote (consumed); nil if it
        /// has an escape or a control byte (which the full parser unescapes or rejects).
        mutating func plainString() -> Range<Int>? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return start..<position - 1
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                position += 1
            }
            return nil
        }

        /// One digit followed by a `,` (not consumed): the writer's QoS.
        mutating func digit() -> UInt8? {
            guard position + 1 < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]),
                bytes[position + 1] == UInt8(ascii: ",")
            else { return nil }
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
