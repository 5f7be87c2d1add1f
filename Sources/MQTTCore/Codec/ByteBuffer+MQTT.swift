import NIOCore

/// Largest value a four-byte variable byte integer can hold (spec 1.5.5).
public let maximumVariableByteInteger = 268_435_455

extension ByteBuffer {
    /// Reads a variable byte integer; nil when the buffer ends before its last byte.
    /// A fifth continuation byte is an error rather than a wait, so a peer cannot make us buffer forever.
    public mutating func readVariableByteInteger() throws(MQTTDecodeError) -> Int? {
        var value = 0
        var multiplier = 1
        var index = readerIndex
        for position in 0..<4 {
            guard let byte = getInteger(at: index, as: UInt8.self) else { return nil }
            index += 1
            value += Int(byte & 0x7F) * multiplier
            if byte & 0x80 == 0 {
                // A non-minimal encoding (a trailing 0x00 after a continuation) is allowed by no rule we can
                // reject safely, so we accept it like mosquitto does.
                moveReaderIndex(to: index)
                return value
            }
            if position == 3 { throw .malformedVariableByteInteger }
            multiplier *= 128
        }
        throw .malformedVariableByteInteger
    }

    @discardableResult
    mutating func writeVariableByteInteger(_ value: Int) -> Int {
        precondition(value >= 0 && value <= maximumVariableByteInteger, "variable byte integer out of range")
        var remaining = value
        var written = 0
        repeat {
            var byte = UInt8(remaining & 0x7F)
            remaining >>= 7
            if remaining > 0 { byte |= 0x80 }
            writeInteger(byte)
            written += 1
        } while remaining > 0
        return written
    }

    /// Reads an MQTT UTF-8 string: two-byte length, then bytes that must be valid UTF-8 without U+0000.
    /// `refusingControlCharacters` is for strings that name things (client ids, user names, topic filters).
    mutating func readMQTTString(refusingControlCharacters: Bool = false) throws(MQTTDecodeError) -> String {
        let field = try readMQTTStringField()
        if refusingControlCharacters && field.hasControlCharacter { throw .stringContainsControlCharacter }
        return field.string
    }

    /// Reads an MQTT string that is a topic name. `isValidName` is true when the one scan of its bytes
    /// already proved it a valid name, so the caller can skip `Topic.validateName`; otherwise the caller
    /// must run it, since `Topic` owns the rules.
    mutating func readMQTTTopicName(refusingControlCharacters: Bool) throws(MQTTDecodeError) -> (name: String, isValidName: Bool) {
        let field = try readMQTTStringField()
        if refusingControlCharacters && field.hasControlCharacter { throw .stringContainsControlCharacter }
        return (field.string, field.isValidTopicName)
    }

    /// Length, bounds, character checks and the String itself under one access to the storage,
    /// rather than one per step (each costs an exclusivity check).
    private mutating func readMQTTStringField() throws(MQTTDecodeError) -> MQTTStringField {
        let (field, end) = try withUnsafeReadableBytes { bytes throws(MQTTDecodeError) in try MQTTStringField.parse(bytes, at: 0) }
        moveReaderIndex(forwardBy: end)
        return field
    }

    /// Reads two-byte-length binary data as a slice of this buffer.
    mutating func readMQTTBinary() throws(MQTTDecodeError) -> ByteBuffer {
        guard let length = readInteger(as: UInt16.self) else { throw .truncated }
        guard let data = readSlice(length: Int(length)) else { throw .truncated }
        return data
    }

    mutating func readMQTTByte() throws(MQTTDecodeError) -> UInt8 {
        guard let value = readInteger(as: UInt8.self) else { throw .truncated }
        return value
    }

    mutating func readMQTTUInt16() throws(MQTTDecodeError) -> UInt16 {
        guard let value = readInteger(as: UInt16.self) else { throw .truncated }
        return value
    }

    mutating func readMQTTUInt32() throws(MQTTDecodeError) -> UInt32 {
        guard let value = readInteger(as: UInt32.self) else { throw .truncated }
        return value
    }

    mutating func writeMQTTString(_ string: String) throws(MQTTEncodeError) {
        let length = string.utf8.count
        guard length <= Int(UInt16.max) else { throw .stringTooLong(length) }
        writeRaw(size: 2 + length) { writer in
            writer.uint16(UInt16(length))
            writer.utf8(string)
        }
    }

    mutating func writeMQTTBinary(_ data: ByteBuffer) throws(MQTTEncodeError) {
        guard data.readableBytes <= Int(UInt16.max) else { throw .stringTooLong(data.readableBytes) }
        writeInteger(UInt16(data.readableBytes))
        writeImmutableBuffer(data)
    }

    /// The full check for strings that are not plain ASCII: NUL, surrogates, then UTF-8 validity.
    static func validatedMQTTString(_ bytes: UnsafeRawBufferPointer) throws(MQTTDecodeError) -> String {
        if bytes.contains(0) { throw .stringContainsNullCharacter }
        // UTF-8 encodings of U+D800...U+DFFF start with 0xED followed by 0xA0...0xBF.
        for index in bytes.indices.dropLast() where bytes[index] == 0xED && bytes[index + 1] >= 0xA0 && bytes[index + 1] <= 0xBF {
            throw .stringContainsSurrogate
        }
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }

    /// Whether valid UTF-8 holds a C0 control (U+0001...U+001F), DEL or a C1 control (U+0080...U+009F,
    /// encoded 0xC2 0x80...0x9F). In valid UTF-8 a byte below 0x80 is always a whole character.
    static func containsControlCharacter(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return true }
            if byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] <= 0x9F { return true }
        }
        return false
    }
}

/// An MQTT string read from raw memory, with what the character scan learnt about it.
struct MQTTStringField {
    var string: String
    var isPlainASCII: Bool
    var hasWildcard: Bool
    /// U+0001...U+001F or U+007F...U+009F: MQTT says SHOULD NOT, mosquitto refuses them as malformed UTF-8.
    var hasControlCharacter: Bool

    /// Non-empty ASCII without NUL, `+` or `#` is a valid topic name by every rule of `Topic.validateName`.
    var isValidTopicName: Bool { isPlainASCII && !hasWildcard && !string.isEmpty }

    /// Parses the string whose two-byte length starts at `offset`; returns it and the offset after it.
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(MQTTDecodeError) -> (MQTTStringField, end: Int) {
        guard bytes.count - offset >= 2 else { throw .truncated }
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        let start = offset + 2
        guard bytes.count - start >= length else { throw .truncated }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])
        let scan = ASCIIScan(raw)
        if scan.isPlainASCII {
            let field = MQTTStringField(
                string: String(decoding: raw, as: UTF8.self), isPlainASCII: true, hasWildcard: scan.hasWildcard,
                hasControlCharacter: scan.hasControlCharacter)
            return (field, start + length)
        }
        let string = try ByteBuffer.validatedMQTTString(raw)
        let field = MQTTStringField(
            string: string, isPlainASCII: false, hasWildcard: false, hasControlCharacter: ByteBuffer.containsControlCharacter(raw))
        return (field, start + length)
    }
}

/// What one scan of a string's bytes found. Pure ASCII without NUL is by far the common case
/// and needs no UTF-8 validation; topic names also learn here whether they hold a wildcard, and every
/// string whether it holds a control character (valid for `isPlainASCII`, like `hasWildcard`).
struct ASCIIScan {
    var isPlainASCII = true
    var hasWildcard = false
    var hasControlCharacter = false

    /// Eight bytes at a time: a topic is read for every message, and this scan is most of its decode cost.
    init(_ bytes: UnsafeRawBufferPointer) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        /// Nonzero when some byte of an ASCII word is zero (the classic test is exact on 7-bit bytes).
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highBits != 0 }
        /// Nonzero when some byte of an ASCII word is below 0x20 (exact as a yes/no on 7-bit bytes).
        func hasByteBelowSpace(_ word: UInt64) -> Bool { (word &- ones &* 0x20) & ~word & highBits != 0 }
        var index = 0
        var wildcard = false
        var control = false
        while bytes.count - index >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & highBits != 0 || hasZeroByte(word) {
                isPlainASCII = false
                return
            }
            wildcard = wildcard || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "+")))) || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "#"))))
            control = control || hasByteBelowSpace(word) || hasZeroByte(word ^ (ones &* 0x7F))
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 || byte >= 0x80 {
                isPlainASCII = false
                return
            }
            wildcard = wildcard || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#")
            control = control || byte < 0x20 || byte == 0x7F
            index += 1
        }
        hasWildcard = wildcard
        hasControlCharacter = control
    }
}

/// Number of bytes a variable byte integer takes on the wire.
func variableByteIntegerSize(_ value: Int) -> Int {
    switch value {
    case ..<128: 1
    case ..<16_384: 2
    case ..<2_097_152: 3
    default: 4
    }
}
