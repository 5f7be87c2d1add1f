import ArgumentParser

/// A `-F` format string, parsed and checked once at start-up as mosquitto_sub does, so a typo is
/// an error before connecting rather than garbage on every message.
struct OutputFormat: Equatable {
    /// `%[-][0][width][.precision]X`: mosquitto's printf-like field options.
    struct FieldOptions: Equatable {
        var leftAlign = false
        var zeroPad = false
        var width: Int?
        var precision: Int?
    }

    enum Token: Equatable {
        case literal([UInt8])
        case field(Character, FieldOptions)
        case time(Character)
    }

    static let fieldCharacters: Set<Character> = ["%", "A", "C", "D", "E", "F", "I", "j", "J", "l", "m", "P", "p", "q", "R", "r", "S", "t", "U", "x", "X"]
    static let timeCharacters: Set<Character> = ["@", "a", "A", "b", "B", "d", "H", "j", "m", "M", "N", "s", "S", "Y", "y", "z", "Z", "F", "T"]

    let tokens: [Token]

    init(parsing format: String) throws {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var characters = Array(format)[...]
        func flushLiteral() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while let character = characters.popFirst() {
            switch character {
            case "%":
                var options = FieldOptions()
                while let flag = characters.first, flag == "-" || flag == "0" {
                    if flag == "-" { options.leftAlign = true } else { options.zeroPad = true }
                    characters.removeFirst()
                }
                options.width = Self.readNumber(&characters)
                if characters.first == "." {
                    characters.removeFirst()
                    options.precision = Self.readNumber(&characters) ?? 0
                }
                guard let field = characters.popFirst() else { throw ValidationError("Invalid format specifier '%'.") }
                guard Self.fieldCharacters.contains(field) else { throw ValidationError("Invalid format specifier '\(field)'.") }
                flushLiteral()
                tokens.append(.field(field, options))
            case "@":
                guard let field = characters.popFirst() else { throw ValidationError("Invalid time format specifier '@'.") }
                guard Self.timeCharacters.contains(field) else { throw ValidationError("Invalid time format specifier '\(field)'.") }
                flushLiteral()
                tokens.append(.time(field))
            case "\\":
                guard let escaped = characters.popFirst() else { throw ValidationError("Invalid escape specifier ''.") }
                guard let byte = Self.escape(escaped) else { throw ValidationError("Invalid escape specifier '\(escaped)'.") }
                literal.append(byte)
            default:
                literal.append(contentsOf: Array(String(character).utf8))
            }
        }
        flushLiteral()
        self.tokens = tokens
    }

    private static func readNumber(_ characters: inout ArraySlice<Character>) -> Int? {
        var digits = ""
        while let next = characters.first, next.isASCII, next.isNumber {
            digits.append(next)
            characters.removeFirst()
        }
        return Int(digits)
    }

    private static func escape(_ character: Character) -> UInt8? {
        switch character {
        case "\\": 0x5C
        case "0": 0x00
        case "a": 0x07
        case "e": 0x1B
        case "n": 0x0A
        case "r": 0x0D
        case "t": 0x09
        case "v": 0x0B
        default: nil
        }
    }
}
