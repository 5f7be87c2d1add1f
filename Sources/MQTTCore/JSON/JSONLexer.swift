/// A byte-level JSON tokenizer. It never allocates per token (tokens are byte ranges) and never
/// traps on any input: every malformed byte is an error, and running out of bytes in the middle
/// of a token is its own error so that a payload cut at the storage cap can still be shown.
/// Shared by the dashboard (payload views) and the recording reader.
public struct JSONLexer: Sendable {
    public enum Token: Equatable {
        case beginObject, endObject, beginArray, endArray, colon, comma
        case string(Range<Int>)
        case number(Range<Int>)
        case literal(Range<Int>)
        case end
    }

    public enum Failure: Error, Equatable {
        /// A byte that JSON does not allow here.
        case invalid(at: Int)
        /// The bytes ended inside a token.
        case endOfInput
    }

    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func next() throws(Failure) -> Token {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return .end }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"): position += 1; return .beginObject
        case UInt8(ascii: "}"): position += 1; return .endObject
        case UInt8(ascii: "["): position += 1; return .beginArray
        case UInt8(ascii: "]"): position += 1; return .endArray
        case UInt8(ascii: ":"): position += 1; return .colon
        case UInt8(ascii: ","): position += 1; return .comma
        case UInt8(ascii: "\""): try scanString(); return .string(start..<position)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber(); return .number(start..<position)
        case UInt8(ascii: "t"): try scanLiteral("true"); return .literal(start..<position)
        case UInt8(ascii: "f"): try scanLiteral("false"); return .literal(start..<position)
        case UInt8(ascii: "n"): try scanLiteral("null"); return .literal(start..<position)
        default: throw .invalid(at: position)
        }
    }

    /// The token after the current one, without consuming it.
    public func peek() -> Token? {
        var copy = self
        return try? copy.next()
    }

    private mutating func scanString() throws(Failure) {
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw .endOfInput }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    for _ in 0..<4 {
                        guard position < bytes.count else { throw .endOfInput }
                        guard Self.hexValue(bytes[position]) != nil else { throw .invalid(at: position) }
                        position += 1
                    }
                default:
                    throw .invalid(at: position)
                }
            case 0x00..<0x20:
                throw .invalid(at: position)
            default:
                position += 1
            }
        }
        throw .endOfInput
    }

    private mutating func scanNumber() throws(Failure) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw .endOfInput }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            guard position < bytes.count else { throw .endOfInput }
            if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
    }

    /// One or more decimal digits.
    private mutating func digits() throws(Failure) {
        guard position < bytes.count else { throw .endOfInput }
        guard Self.isDigit(bytes[position]) else { throw .invalid(at: position) }
        while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
    }

    private mutating func scanLiteral(_ word: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count else { throw .endOfInput }
            guard bytes[position] == byte else { throw .invalid(at: position) }
            position += 1
        }
    }

    public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    public static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
