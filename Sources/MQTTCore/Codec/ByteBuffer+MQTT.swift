import NIOCore

/// Largest value a four-byte variable byte integer can hold (spec 1.5.5).
public let maximumVariableByteInteger = 268_435_455

extension ByteBuffer {
    /// Reads a variable byte integer; nil when the buffer ends before its last byte.
    /// A fifth continuation byte is an error rather than a wait, so a peer cannot make us buffer forever.
    @inlinable
    mutating func readVariableByteInteger() throws(MQTTDecodeError) -> Int? {
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

    @inlinable
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
    @inlinable
    mutating func readMQTTString() throws(MQTTDecodeError) -> String {
        guard let length = readInteger(as: UInt16.self) else { throw .truncated }
        guard let view = readSlice(length: Int(length)) else { throw .truncated }
        return try view.validatedMQTTString()
    }

    /// Reads two-byte-length binary data as a slice of this buffer.
    @inlinable
    mutating func readMQTTBinary() throws(MQTTDecodeError) -> ByteBuffer {
        guard let length = readInteger(as: UInt16.self) else { throw .truncated }
        guard let data = readSlice(length: Int(length)) else { throw .truncated }
        return data
    }

    @inlinable
    mutating func readMQTTByte() throws(MQTTDecodeError) -> UInt8 {
        guard let value = readInteger(as: UInt8.self) else { throw .truncated }
        return value
    }

    @inlinable
    mutating func readMQTTUInt16() throws(MQTTDecodeError) -> UInt16 {
        guard let value = readInteger(as: UInt16.self) else { throw .truncated }
        return value
    }

    @inlinable
    mutating func readMQTTUInt32() throws(MQTTDecodeError) -> UInt32 {
        guard let value = readInteger(as: UInt32.self) else { throw .truncated }
        return value
    }

    @inlinable
    mutating func writeMQTTString(_ string: String) throws(MQTTEncodeError) {
        let length = string.utf8.count
        guard length <= Int(UInt16.max) else { throw .stringTooLong(length) }
        writeInteger(UInt16(length))
        writeString(string)
    }

    @inlinable
    mutating func writeMQTTBinary(_ data: ByteBuffer) throws(MQTTEncodeError) {
        guard data.readableBytes <= Int(UInt16.max) else { throw .stringTooLong(data.readableBytes) }
        writeInteger(UInt16(data.readableBytes))
        writeImmutableBuffer(data)
    }

    /// Checks the readable bytes as an MQTT string (spec 1.5.4) and returns it.
    @inlinable
    func validatedMQTTString() throws(MQTTDecodeError) -> String {
        let checked: String? = withUnsafeReadableBytes { bytes -> String? in
            // Pure ASCII without NUL is by far the common case: skip the full validator for it.
            var isPlainASCII = true
            for byte in bytes where byte == 0 || byte >= 0x80 {
                isPlainASCII = false
                break
            }
            if isPlainASCII { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
        if let checked { return checked }
        return try withUnsafeReadableBytes { bytes throws(MQTTDecodeError) -> String in
            if bytes.contains(0) { throw .stringContainsNullCharacter }
            // UTF-8 encodings of U+D800...U+DFFF start with 0xED followed by 0xA0...0xBF.
            for index in bytes.indices.dropLast() where bytes[index] == 0xED && bytes[index + 1] >= 0xA0 && bytes[index + 1] <= 0xBF {
                throw .stringContainsSurrogate
            }
            guard let string = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
            return string
        }
    }
}

/// Number of bytes a variable byte integer takes on the wire.
@inlinable
func variableByteIntegerSize(_ value: Int) -> Int {
    switch value {
    case ..<128: 1
    case ..<16_384: 2
    case ..<2_097_152: 3
    default: 4
    }
}
