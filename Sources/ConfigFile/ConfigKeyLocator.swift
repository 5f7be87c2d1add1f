/// Finds the line of every `[table]`, `[[array of tables]]` and `key =` in a TOML text, which TOMLKit
/// does not report. It reads only the starts of lines and skips the inside of multi-line strings and
/// arrays; the text's correctness is TOMLKit's to judge, so this never throws.
struct ConfigKeyLocator {
    /// Full key path -> line; an element of an array of tables is the path plus "[index]".
    private(set) var lines: [[String]: Int] = [:]
    /// The last key (or table name) written on a line, for syntax errors.
    private(set) var keyOnLine: [Int: String] = [:]

    init(_ text: String) {
        var table: [String] = []
        var arrayCounts: [[String]: Int] = [:]
        // What closes the multi-line construct the current line is inside of, if any.
        var open: Continuation?

        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let line = index + 1
            var scanner = KeyScanner(Array(rawLine))
            if let continuation = open {
                open = scanner.skip(continuation)
                continue
            }
            scanner.skipSpaces()
            if scanner.take("[") {
                let isArray = scanner.take("[")
                guard let path = scanner.keyPath(), !path.isEmpty else { continue }
                keyOnLine[line] = path.last
                if isArray {
                    let count = arrayCounts[path, default: 0]
                    arrayCounts[path] = count + 1
                    table = path + ["[\(count)]"]
                } else {
                    table = path
                }
                // [a.b] also implies a table a, which is located here unless written before.
                for length in 1...path.count where lines[Array(path.prefix(length))] == nil {
                    lines[Array(path.prefix(length))] = line
                }
                if lines[table] == nil { lines[table] = line }
                continue
            }
            guard let keyPath = scanner.keyPath(), !keyPath.isEmpty else { continue }
            keyOnLine[line] = keyPath.last
            for length in 1...keyPath.count where lines[table + keyPath.prefix(length)] == nil {
                lines[table + keyPath.prefix(length)] = line
            }
            scanner.skipSpaces()
            guard scanner.take("=") else { continue }
            scanner.skipSpaces()
            open = scanner.skip(.value(depth: 0))
        }
    }
}

/// Where a value that goes on past its line ends.
enum Continuation: Equatable {
    /// Inside `"""` or `'''`, which close with the same three quotes; `depth` arrays are still open around it.
    case string(delimiter: Character, depth: Int)
    /// Inside `depth` open arrays.
    case value(depth: Int)
}

/// Reads keys and skips values on one line.
struct KeyScanner {
    private let characters: [Character]
    private var position = 0

    init(_ characters: [Character]) { self.characters = characters }

    private var peek: Character? { position < characters.count ? characters[position] : nil }

    mutating func skipSpaces() {
        while let character = peek, character == " " || character == "\t" { position += 1 }
    }

    mutating func take(_ character: Character) -> Bool {
        guard peek == character else { return false }
        position += 1
        return true
    }

    /// `a.b."c d".'e'`; nil when the line does not start with a key.
    mutating func keyPath() -> [String]? {
        var path: [String] = []
        while true {
            skipSpaces()
            guard let part = keyPart() else { return nil }
            path.append(part)
            skipSpaces()
            if !take(".") { return path }
        }
    }

    private mutating func keyPart() -> String? {
        if take("\"") { return quoted(until: "\"", escapes: true) }
        if take("'") { return quoted(until: "'", escapes: false) }
        let start = position
        while let character = peek, character.isASCII, character.isLetter || character.isNumber || character == "_" || character == "-" {
            position += 1
        }
        return position > start ? String(characters[start..<position]) : nil
    }

    private mutating func quoted(until quote: Character, escapes: Bool) -> String? {
        var text = ""
        while let character = peek {
            position += 1
            if character == quote { return text }
            if escapes && character == "\\", let next = peek {
                position += 1
                text.append(next == "n" ? "\n" : next == "t" ? "\t" : next)
            } else {
                text.append(character)
            }
        }
        return nil
    }

    /// Skips the rest of a value; returns what is still open at the end of the line.
    mutating func skip(_ continuation: Continuation) -> Continuation? {
        var depth: Int
        switch continuation {
        case .string(let delimiter, let arrays):
            guard skipMultiLineString(delimiter) else { return continuation }
            depth = arrays
        case .value(let arrays):
            depth = arrays
        }
        while let character = peek {
            switch character {
            case "#":
                position = characters.count
            case "[", "{":
                depth += 1
                position += 1
            case "]", "}":
                depth -= 1
                position += 1
            case "\"", "'":
                if characters[position...].starts(with: [character, character, character]) {
                    position += 3
                    if !skipMultiLineString(character) { return .string(delimiter: character, depth: depth) }
                } else {
                    position += 1
                    _ = quoted(until: character, escapes: character == "\"")
                }
            default:
                position += 1
            }
        }
        return depth > 0 ? .value(depth: depth) : nil
    }

    /// Moves past the closing triple quote; false when the line ends first.
    private mutating func skipMultiLineString(_ delimiter: Character) -> Bool {
        while let character = peek {
            if character == "\\" && delimiter == "\"" {
                position += 2
                continue
            }
            if characters[position...].starts(with: [delimiter, delimiter, delimiter]) {
                position += 3
                // Up to two more quotes may belong to the content ("""a"""""): skip them too.
                while peek == delimiter { position += 1 }
                return true
            }
            position += 1
        }
        return false
    }
}
