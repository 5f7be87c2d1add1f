/// Reads one line of a theme file. TOML is line-oriented for everything the subset allows,
/// so a scanner per line keeps the line number of every error exact.
struct TOMLLineScanner {
    private let characters: [Character]
    private var position = 0
    let line: Int

    init(_ text: Substring, line: Int) {
        self.characters = Array(text)
        self.line = line
    }

    var peek: Character? { position < characters.count ? characters[position] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" }

    mutating func skipSpaces() {
        while let character = peek, character == " " || character == "\t" { position += 1 }
    }

    mutating func take(_ character: Character) -> Bool {
        guard peek == character else { return false }
        position += 1
        return true
    }

    /// `[name]`, with nothing after it but a comment.
    mutating func tableHeader() throws(TOMLSyntaxError) -> String {
        _ = take("[")
        if peek == "[" { throw fail("arrays of tables ([[...]]) are not supported in theme files") }
        skipSpaces()
        let name = bareKey()
        skipSpaces()
        if peek == "." { throw fail("dotted table names are not supported; use [\(name)]", key: name) }
        guard !name.isEmpty, take("]") else { throw fail("a table header is [name] with letters, digits, _ or -") }
        try expectEndOfLine(after: name)
        return name
    }

    mutating func key() throws(TOMLSyntaxError) -> String {
        if peek == "\"" || peek == "'" { throw fail("quoted keys are not supported; write the key bare") }
        let key = bareKey()
        guard !key.isEmpty else { throw fail("expected \"key = value\", found \"\(rest)\"") }
        skipSpaces()
        if peek == "." { throw fail("dotted keys are not supported", key: key) }
        return key
    }

    mutating func value(for key: String) throws(TOMLSyntaxError) -> TOMLValue {
        switch peek {
        case nil, "#":
            throw fail("key \(key) has no value", key: key)
        case "\"":
            if starts(with: "\"\"\"") { throw fail("multi-line strings are not supported", key: key) }
            return .string(try basicString(key: key))
        case "'":
            if starts(with: "'''") { throw fail("multi-line strings are not supported", key: key) }
            return .string(try literalString(key: key))
        case "[":
            return .array(try array(key: key))
        case let character? where character.isASCII && (character.isNumber || character == "+" || character == "-"):
            return .integer(try integer(key: key))
        default:
            throw fail("unsupported value \(word) for key \(key); theme files use \"strings\", integers and [\"arrays\"]", key: key)
        }
    }

    /// After a value or header only spaces and a comment may follow.
    mutating func expectEndOfLine(after key: String) throws(TOMLSyntaxError) {
        skipSpaces()
        guard atEndOrComment else { throw fail("unexpected \"\(rest)\" after \(key)", key: key) }
    }

    // MARK: - Pieces

    private mutating func bareKey() -> String {
        let start = position
        while let character = peek, character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-" {
            position += 1
        }
        return String(characters[start..<position])
    }

    private mutating func basicString(key: String) throws(TOMLSyntaxError) -> String {
        _ = take("\"")
        var text = ""
        while let character = peek {
            position += 1
            switch character {
            case "\"":
                return text
            case "\\":
                text.append(try escape(key: key))
            default:
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                    throw fail("control character in the string for key \(key)", key: key)
                }
                text.append(character)
            }
        }
        throw fail("unterminated string for key \(key)", key: key)
    }

    private mutating func escape(key: String) throws(TOMLSyntaxError) -> Character {
        guard let character = peek else { throw fail("unterminated string for key \(key)", key: key) }
        position += 1
        switch character {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{8}"
        case "f": return "\u{C}"
        case "u", "U":
            let length = character == "u" ? 4 : 8
            let digits = String(characters[position..<min(position + length, characters.count)])
            position += digits.count
            guard digits.count == length, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw fail("bad \\\(character) escape in the string for key \(key)", key: key)
            }
            return Character(scalar)
        default:
            throw fail("unknown escape \\\(character) in the string for key \(key)", key: key)
        }
    }

    private mutating func literalString(key: String) throws(TOMLSyntaxError) -> String {
        _ = take("'")
        let start = position
        while let character = peek, character != "'" { position += 1 }
        guard take("'") else { throw fail("unterminated string for key \(key)", key: key) }
        return String(characters[start..<(position - 1)])
    }

    private mutating func array(key: String) throws(TOMLSyntaxError) -> [TOMLValue] {
        _ = take("[")
        var items: [TOMLValue] = []
        while true {
            skipSpaces()
            if take("]") { return items }
            if atEndOrComment { throw fail("the array for key \(key) must close with ] on the same line", key: key) }
            items.append(try value(for: key))
            skipSpaces()
            if take("]") { return items }
            if atEndOrComment { throw fail("the array for key \(key) must close with ] on the same line", key: key) }
            guard take(",") else { throw fail("expected , or ] in the array for key \(key), found \"\(rest)\"", key: key) }
        }
    }

    private mutating func integer(key: String) throws(TOMLSyntaxError) -> Int {
        let text = word
        position += text.count
        // TOML integers: optional sign, digits with single underscores between them, no leading zero.
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        let digits = String(unsigned.filter { $0 != "_" })
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              !unsigned.hasPrefix("_"), !unsigned.hasSuffix("_"), !unsigned.contains("__"),
              digits == "0" || !digits.hasPrefix("0")
        else {
            throw fail("unsupported value \(text) for key \(key); theme files use \"strings\", integers and [\"arrays\"]", key: key)
        }
        guard let number = Int(text.first == "-" ? "-" + digits : digits) else {
            throw fail("integer \(text) for key \(key) is too large", key: key)
        }
        return number
    }

    // MARK: - Helpers

    private func starts(with prefix: String) -> Bool {
        characters[position...].starts(with: prefix)
    }

    /// The rest of the line, for messages.
    private var rest: String { String(characters[position...]) }

    /// The run of characters up to a space, comma, bracket or comment: what the user wrote as one value.
    private var word: String {
        String(characters[position...].prefix { !" \t,]#".contains($0) })
    }

    private func fail(_ message: String, key: String? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line, message: message, key: key)
    }
}
