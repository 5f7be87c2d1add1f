import MQTTCore

/// Numbers for the plot: a payload that is a number with an optional unit (`24.1`, `-3`,
/// `21.5 °C`, `1e3`), or the number at a JSON field path (`temp`, `sensor.temp`, `values[0]`).
public enum NumericValue {
    /// Payload bytes looked at per message; a plot never needs more.
    static let scanLimit = 64 * 1024

    /// The number in `bytes`, or nil. With `field`, the payload must be JSON and the value at that
    /// path a number, a numeric string, or a boolean (1 or 0).
    public static func extract(from bytes: some Collection<UInt8>, field: String? = nil) -> Double? {
        let bytes = Array(bytes.prefix(scanLimit))
        guard let field, !field.isEmpty else { return parse(bytes[...]) }
        guard let path = FieldPath(field) else { return nil }
        var lexer = JSONLexer(bytes)
        return value(at: path.components[...], lexer: &lexer)
    }

    /// A number with an optional unit after it: leading and trailing spaces are ignored, the unit
    /// may not contain digits (so `12:30` or `1.2.3` are not numbers).
    public static func parse(_ text: ArraySlice<UInt8>) -> Double? {
        var rest = text.drop { JSONLexer.isWhitespace($0) }
        let start = rest.startIndex
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { rest = rest.dropFirst() }
        let integer = rest.prefix { JSONLexer.isDigit($0) }
        rest = rest.dropFirst(integer.count)
        var fraction = 0
        if rest.first == UInt8(ascii: ".") {
            fraction = rest.dropFirst().prefix { JSONLexer.isDigit($0) }.count
            rest = rest.dropFirst(1 + fraction)
        }
        guard integer.count + fraction > 0 else { return nil }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var exponent = rest.dropFirst()
            if let sign = exponent.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { exponent = exponent.dropFirst() }
            let digits = exponent.prefix { JSONLexer.isDigit($0) }
            if !digits.isEmpty { rest = exponent.dropFirst(digits.count) }
        }
        let number = text[start..<rest.startIndex]
        let unit = rest.drop { JSONLexer.isWhitespace($0) }
        guard unit.count <= 16, !unit.contains(where: { JSONLexer.isDigit($0) || $0 == UInt8(ascii: ".") }) else { return nil }
        guard let value = Double(String(decoding: number, as: UTF8.self)), value.isFinite else { return nil }
        return value
    }

    /// Walks the JSON value under the lexer's cursor down `path`.
    private static func value(at path: ArraySlice<FieldPath.Component>, lexer: inout JSONLexer) -> Double? {
        guard let token = try? lexer.next() else { return nil }
        guard let step = path.first else {
            switch token {
            case .number(let range): return Double(String(decoding: lexer.bytes[range], as: UTF8.self))
            case .string(let range): return parse(lexer.bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
            case .literal(let range): return lexer.bytes[range.lowerBound] == UInt8(ascii: "t") ? 1 : lexer.bytes[range.lowerBound] == UInt8(ascii: "f") ? 0 : nil
            default: return nil
            }
        }
        switch (step, token) {
        case (.key(let key), .beginObject):
            while true {
                guard case .string(let range)? = try? lexer.next(), (try? lexer.next()) == .colon else { return nil }
                if decodedString(lexer.bytes[range]) == key { return value(at: path.dropFirst(), lexer: &lexer) }
                guard skipValue(&lexer), (try? lexer.next()) == .comma else { return nil }
            }
        case (.index(let index), .beginArray):
            for _ in 0..<index {
                guard skipValue(&lexer), (try? lexer.next()) == .comma else { return nil }
            }
            return value(at: path.dropFirst(), lexer: &lexer)
        default:
            return nil
        }
    }

    /// Moves past one whole value, counting depth instead of recursing.
    private static func skipValue(_ lexer: inout JSONLexer) -> Bool {
        var depth = 0
        repeat {
            guard let token = try? lexer.next() else { return false }
            switch token {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray: depth -= 1
            case .end: return false
            default: break
            }
        } while depth > 0
        return depth == 0
    }

    /// A JSON string token's text (quotes included) with its escapes undone, for comparing keys.
    static func decodedString(_ token: ArraySlice<UInt8>) -> String {
        String(decoding: JSONLexer.unescape(token.dropFirst().dropLast()), as: UTF8.self)
    }
}

/// `sensor.temp`, `values[0]`, `a.b[2].c`: object keys separated by dots, array indexes in brackets.
struct FieldPath: Equatable {
    enum Component: Equatable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init?(_ text: String) {
        components = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = part[...]
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let index = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]), index >= 0 else { return nil }
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            if name.isEmpty, indexes.isEmpty { return nil }
            if !name.isEmpty { components.append(.key(String(name))) }
            components += indexes.map(Component.index)
        }
    }
}
