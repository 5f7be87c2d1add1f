/// A cursor over payload bytes for the binary decoders: every read checks the length first and fails with
/// the byte offset, so a truncated payload is an error, never a trap.
struct ByteReader {
    let bytes: [UInt8]
    let decoder: String
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], decoder: String, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.decoder = decoder
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }

    func failure(_ message: String) -> DecodeFailure { DecodeFailure(decoder, message) }

    func truncated(needing count: Int) -> DecodeFailure {
        failure("truncated at byte \(position) (\(count) more bytes needed, \(remaining) left)")
    }

    mutating func byte() throws(DecodeFailure) -> UInt8 {
        guard position < end else { throw truncated(needing: 1) }
        defer { position += 1 }
        return bytes[position]
    }

    /// `count` bytes as a range of `bytes`; `count` may come from the payload, so it is checked before any use.
    mutating func take(_ count: Int) throws(DecodeFailure) -> Range<Int> {
        guard count >= 0, count <= remaining else { throw truncated(needing: count) }
        defer { position += count }
        return position..<(position + count)
    }

    /// A big-endian unsigned integer of `count` bytes (1...8).
    mutating func bigEndian(_ count: Int) throws(DecodeFailure) -> UInt64 {
        let range = try take(count)
        var value: UInt64 = 0
        for index in range { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// A little-endian unsigned integer of `count` bytes (4 or 8 for protobuf's fixed types).
    mutating func littleEndian(_ count: Int) throws(DecodeFailure) -> UInt64 {
        let range = try take(count)
        var value: UInt64 = 0
        for index in range.reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// A protobuf base-128 varint, at most 10 bytes.
    mutating func varint() throws(DecodeFailure) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            if shift == 63, byte > 1 { throw failure("varint at byte \(start) overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw failure("varint at byte \(start) is longer than 10 bytes") }
        }
    }

    func string(_ range: Range<Int>) throws(DecodeFailure) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw failure("string at byte \(range.lowerBound) is not UTF-8")
        }
        return text
    }
}

/// Counts the values and nesting a structure decoder produces against `DecodeLimits`.
struct WorkBudget {
    let limits: DecodeLimits
    let decoder: String
    private var values = 0

    init(_ limits: DecodeLimits, decoder: String) {
        self.limits = limits
        self.decoder = decoder
    }

    mutating func value(depth: Int) throws(DecodeFailure) {
        values += 1
        if values > limits.maximumValues {
            throw DecodeFailure(decoder, "more than \(limits.maximumValues) values (limit)")
        }
        if depth > limits.maximumDepth {
            throw DecodeFailure(decoder, "nested deeper than \(limits.maximumDepth) levels (limit)")
        }
    }
}
