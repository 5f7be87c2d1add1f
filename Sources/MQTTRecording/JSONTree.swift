import MQTTCore

/// A parsed JSON value over the line's bytes, built on the shared `JSONLexer`. Each value keeps the byte range
/// it came from, so a `%J` record's embedded payload can be taken back as the exact text that was written.
indirect enum JSONTree {
    case string([UInt8])
    case number(Range<Int>)
    case bool(Bool)
    case null
    case array([JSONTree])
    case object([(key: String, value: JSONTree, raw: Range<Int>)])

    enum Failure: Error {
        case invalid(at: Int)
        case endOfInput
        case tooDeep
        case trailingBytes(at: Int)
    }

    /// Parses `bytes` as exactly one JSON value (whitespace around it allowed).
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONTree {
        var lexer = JSONLexer(bytes)
        let (value, _) = try parseValue(&lexer, first: try nextToken(&lexer), depth: 0)
        let end = try nextToken(&lexer)
        guard end == .end else { throw .trailingBytes(at: lexer.position - 1) }
        return value
    }

    subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    func rawRange(of key: String) -> Range<Int>? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.raw
    }

    private static func nextToken(_ lexer: inout JSONLexer) throws(Failure) -> JSONLexer.Token {
        do throws(JSONLexer.Failure) { return try lexer.next() } catch {
            switch error {
            case .invalid(let at): throw .invalid(at: at)
            case .endOfInput: throw .endOfInput
            }
        }
    }

    /// The value starting with `first`, and the byte range it covers.
    private static func parseValue(_ lexer: inout JSONLexer, first: JSONLexer.Token, depth: Int) throws(Failure) -> (JSONTree, Range<Int>) {
        // Nesting is bounded so a hostile line cannot exhaust the stack.
        guard depth < 64 else { throw .tooDeep }
        let bytes = lexer.bytes
        switch first {
        case .string(let range): return (.string(unescape(bytes[range.lowerBound + 1..<range.upperBound - 1])), range)
        case .number(let range): return (.number(range), range)
        case .literal(let range):
            switch bytes[range.lowerBound] {
            case UInt8(ascii: "t"): return (.bool(true), range)
            case UInt8(ascii: "f"): return (.bool(false), range)
            default: return (.null, range)
            }
        case .beginArray:
            let start = lexer.position - 1
            var items: [JSONTree] = []
            var token = try nextToken(&lexer)
            if token == .endArray { return (.array(items), start..<lexer.position) }
            while true {
                items.append(try parseValue(&lexer, first: token, depth: depth + 1).0)
                token = try nextToken(&lexer)
                if token == .endArray { return (.array(items), start..<lexer.position) }
                guard token == .comma else { throw failure(at: lexer, token) }
                token = try nextToken(&lexer)
            }
        case .beginObject:
            let start = lexer.position - 1
            var members: [(key: String, value: JSONTree, raw: Range<Int>)] = []
            var token = try nextToken(&lexer)
            if token == .endObject { return (.object(members), start..<lexer.position) }
            while true {
                guard case .string(let keyRange) = token else { throw failure(at: lexer, token) }
                let key = String(decoding: unescape(bytes[keyRange.lowerBound + 1..<keyRange.upperBound - 1]), as: UTF8.self)
                let colon = try nextToken(&lexer)
                guard colon == .colon else { throw failure(at: lexer, colon) }
                let (value, raw) = try parseValue(&lexer, first: try nextToken(&lexer), depth: depth + 1)
                members.append((key, value, raw))
                token = try nextToken(&lexer)
                if token == .endObject { return (.object(members), start..<lexer.position) }
                guard token == .comma else { throw failure(at: lexer, token) }
                token = try nextToken(&lexer)
            }
        case .end: throw .endOfInput
        case .endObject, .endArray, .colon, .comma: throw .invalid(at: lexer.position - 1)
        }
    }

    private static func failure(at lexer: JSONLexer, _ token: JSONLexer.Token) -> Failure {
        token == .end ? .endOfInput : .invalid(at: lexer.position - 1)
    }

    /// The UTF-8 bytes a JSON string's body stands for (the lexer has checked its escapes).
    /// A lone UTF-16 surrogate becomes U+FFFD, as it cannot be UTF-8.
    static func unescape(_ body: ArraySlice<UInt8>) -> [UInt8] {
        guard body.contains(UInt8(ascii: "\\")) else { return Array(body) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= body.endIndex else { return nil }
            var code: UInt32 = 0
            for byte in body[position..<position + 4] {
                guard let digit = JSONLexer.hexValue(byte) else { return nil }
                code = code << 4 | UInt32(digit)
            }
            return code
        }
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.endIndex else {
                out.append(byte)
                index += 1
                continue
            }
            let escaped = body[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: index) ?? 0xFFFD
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 1 < body.endIndex, body[index] == UInt8(ascii: "\\"),
                    body[index + 1] == UInt8(ascii: "u"), let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(escaped)
            }
        }
        return out
    }
}
