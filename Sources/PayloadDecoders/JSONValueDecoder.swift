import MQTTCore

/// JSON (RFC 8259) into a decoded tree, over the shared `JSONLexer`. Integers that fit stay exact.
enum JSONValueDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> DecodedValue {
        var lexer = JSONLexer(bytes)
        var budget = WorkBudget(limits, decoder: "json")
        let value = try readValue(&lexer, first: try next(&lexer), &budget, depth: 0)
        guard try next(&lexer) == .end else { throw DecodeFailure("json", "unexpected text after the value at byte \(lexer.position - 1)") }
        return value
    }

    private static func next(_ lexer: inout JSONLexer) throws(DecodeFailure) -> JSONLexer.Token {
        do throws(JSONLexer.Failure) { return try lexer.next() } catch {
            switch error {
            case .invalid(let at): throw DecodeFailure("json", "invalid JSON at byte \(at)")
            case .endOfInput: throw DecodeFailure("json", "truncated: the input ends inside a value")
            }
        }
    }

    private static func unexpected(_ lexer: JSONLexer, _ token: JSONLexer.Token) -> DecodeFailure {
        token == .end ? DecodeFailure("json", "truncated: the input ends inside a value")
            : DecodeFailure("json", "unexpected token at byte \(max(0, lexer.position - 1))")
    }

    private static func readValue(_ lexer: inout JSONLexer, first: JSONLexer.Token, _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue {
        try budget.value(depth: depth)
        let bytes = lexer.bytes
        switch first {
        case .string(let range):
            return .string(String(decoding: JSONLexer.unescape(bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]), as: UTF8.self))
        case .number(let range):
            let text = String(decoding: bytes[range], as: UTF8.self)
            if let integer = Int64(text) { return .integer(integer) }
            if let unsigned = UInt64(text) { return .unsigned(unsigned) }
            return .double(Double(text) ?? .nan)
        case .literal(let range):
            switch bytes[range.lowerBound] {
            case UInt8(ascii: "t"): return .bool(true)
            case UInt8(ascii: "f"): return .bool(false)
            default: return .null
            }
        case .beginArray:
            var items: [DecodedValue] = []
            var token = try next(&lexer)
            if token == .endArray { return .array(items) }
            while true {
                items.append(try readValue(&lexer, first: token, &budget, depth: depth + 1))
                token = try next(&lexer)
                if token == .endArray { return .array(items) }
                guard token == .comma else { throw unexpected(lexer, token) }
                token = try next(&lexer)
            }
        case .beginObject:
            var members: [DecodedValue.Member] = []
            var token = try next(&lexer)
            if token == .endObject { return .object(members) }
            while true {
                guard case .string(let keyRange) = token else { throw unexpected(lexer, token) }
                let key = String(decoding: JSONLexer.unescape(bytes[(keyRange.lowerBound + 1)..<(keyRange.upperBound - 1)]), as: UTF8.self)
                let colon = try next(&lexer)
                guard colon == .colon else { throw unexpected(lexer, colon) }
                members.append(DecodedValue.Member(key, try readValue(&lexer, first: try next(&lexer), &budget, depth: depth + 1)))
                token = try next(&lexer)
                if token == .endObject { return .object(members) }
                guard token == .comma else { throw unexpected(lexer, token) }
                token = try next(&lexer)
            }
        default:
            throw unexpected(lexer, first)
        }
    }
}
