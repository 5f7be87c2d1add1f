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
        case .string(let range): return (.string(JSONLexer.unescape(bytes[range.lowerBound + 1..<range.upperBound - 1])), range)
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
                let key = String(decoding: JSONLexer.unescape(bytes[keyRange.lowerBound + 1..<keyRange.upperBound - 1]), as: UTF8.self)
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
}
