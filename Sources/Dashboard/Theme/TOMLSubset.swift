/// The part of TOML that theme files need: comments, `[table]` headers, and `key = value` where a
/// value is a string, an integer or a one-line array. Our own parser rather than a TOML package so
/// that every error carries its line number, which a theme error must name.
/// Anything else TOML allows (dotted or quoted keys, floats, booleans, dates, inline tables,
/// multi-line strings or arrays) is refused with a message saying so, never silently misread.
struct TOMLDocument: Equatable {
    /// Keys before the first table header.
    var root: [TOMLEntry] = []
    var tables: [TOMLTable] = []

    static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLDocument {
        var document = TOMLDocument()
        var seenTables: [String: Int] = [:]
        // Where each key was first set, per table (nil = root), for the duplicate-key message.
        var seenKeys: [String: Int] = [:]

        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineSeparator).enumerated() {
            let lineNumber = index + 1
            var scanner = TOMLLineScanner(rawLine, line: lineNumber)
            scanner.skipSpaces()
            if scanner.atEndOrComment { continue }

            if scanner.peek == "[" {
                let name = try scanner.tableHeader()
                if let first = seenTables[name] {
                    throw TOMLSyntaxError(line: lineNumber, message: "table [\(name)] appears twice (first on line \(first))", key: name)
                }
                seenTables[name] = lineNumber
                seenKeys = [:]
                document.tables.append(TOMLTable(name: name, line: lineNumber))
                continue
            }

            let key = try scanner.key()
            scanner.skipSpaces()
            guard scanner.take("=") else {
                throw TOMLSyntaxError(line: lineNumber, message: "expected \"=\" after key \(key)", key: key)
            }
            scanner.skipSpaces()
            let value = try scanner.value(for: key)
            try scanner.expectEndOfLine(after: key)
            if let first = seenKeys[key] {
                throw TOMLSyntaxError(line: lineNumber, message: "key \(key) is set twice (first on line \(first))", key: key)
            }
            seenKeys[key] = lineNumber
            let entry = TOMLEntry(key: key, value: value, line: lineNumber)
            if document.tables.isEmpty {
                document.root.append(entry)
            } else {
                document.tables[document.tables.count - 1].entries.append(entry)
            }
        }
        return document
    }
}

private extension Character {
    /// "\r\n" is one Character in Swift, so splitting on "\n" alone would keep CRLF files in one line.
    var isNewlineSeparator: Bool { self == "\n" || self == "\r\n" }
}

struct TOMLTable: Equatable {
    var name: String
    var line: Int
    var entries: [TOMLEntry] = []
}

struct TOMLEntry: Equatable {
    var key: String
    var value: TOMLValue
    var line: Int
}

enum TOMLValue: Equatable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case array([TOMLValue])

    /// As it would be written in the file, for error messages.
    var description: String {
        switch self {
        case .string(let text): return "\"" + text + "\""
        case .integer(let number): return String(number)
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

struct TOMLSyntaxError: Error, Equatable {
    var line: Int
    var message: String
    /// The key being read when it went wrong, when there was one.
    var key: String?
}
