import ConfigFile

/// A mistake in the boards file, named by file and line as every config error is.
public struct BoardFileError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { file + (line.map { ":\($0)" } ?? "") + ": " + message }
}

/// `$XDG_CONFIG_HOME/mqdash/boards.toml`: `[boards.NAME]` with `[[boards.NAME.tiles]]`.
public enum BoardFile {
    /// The file's path in a config directory (see `ConfigPaths.configHome`).
    public static func path(configHome: String) -> String { configHome + "/mqdash/boards.toml" }

    static let boardKeys = ["tiles", "bell", "on_alert", "alert_topic"]
    static let tileKeys = ["topic", "field", "unit", "rules", "hysteresis", "for", "width", "series"]

    public static func parse(_ text: String, file: String) throws(BoardFileError) -> [Board] {
        let root: ConfigTable
        do { root = try ConfigDocument.parse(text) } catch {
            throw BoardFileError(file: file, line: error.line, message: "syntax error: " + error.message)
        }
        var boards: [Board] = []
        for entry in root.entries {
            guard entry.key == "boards", case .table(let table) = entry.value else {
                throw BoardFileError(file: file, line: entry.line, message: "unknown key \(entry.key); expected [boards.NAME] tables")
            }
            for boardEntry in table.entries {
                boards.append(try board(boardEntry, file: file))
            }
        }
        return boards
    }

    private static func board(_ entry: ConfigEntry, file: String) throws(BoardFileError) -> Board {
        func fail(_ line: Int?, _ message: String) -> BoardFileError {
            BoardFileError(file: file, line: line ?? entry.line, message: message + " in [boards.\(entry.key)]")
        }
        guard case .table(let table) = entry.value else { throw fail(entry.line, "expected a table") }
        var board = Board(name: entry.key)
        for item in table.entries {
            switch (item.key, item.value) {
            case ("bell", .bool(let flag)): board.bell = flag
            case ("alert_topic", .string(let topic)) where !topic.isEmpty && !topic.contains(where: { $0 == "+" || $0 == "#" }):
                board.alertTopic = topic
            case ("on_alert", .array(let words)):
                board.onAlert = try words.map { (word: ConfigValue) throws(BoardFileError) -> String in
                    guard case .string(let text) = word else { throw fail(item.line, "on_alert must be a list of strings") }
                    return text
                }
                // The first word is the program: filled from a message, anyone who may publish would choose what runs.
                if let program = board.onAlert.first,
                   let placeholder = DashboardState.alertPlaceholders.first(where: { program.contains($0) }) {
                    throw fail(item.line, "on_alert's first word is the program to run; \(placeholder) there would let a message choose it")
                }
            case ("tiles", .array(let tiles)):
                for (index, tile) in tiles.enumerated() {
                    guard case .table(let tileTable) = tile else { throw fail(item.line, "tiles must be [[boards.\(entry.key).tiles]] tables") }
                    board.tiles.append(try self.tile(tileTable, index: index, board: entry.key, file: file))
                }
            case (let key, _) where boardKeys.contains(key):
                throw fail(item.line, "bad value \(item.value) for \(key)")
            default:
                throw fail(item.line, "unknown key \(item.key); expected one of \(boardKeys.joined(separator: ", "))")
            }
        }
        return board
    }

    private static func tile(_ table: ConfigTable, index: Int, board: String, file: String) throws(BoardFileError) -> BoardTile {
        func fail(_ line: Int?, _ message: String) -> BoardFileError {
            BoardFileError(file: file, line: line ?? table.line, message: message + " in tile \(index + 1) of [boards.\(board)]")
        }
        var tile = BoardTile(topic: "")
        for item in table.entries {
            switch (item.key, item.value) {
            case ("topic", .string(let topic)) where !topic.isEmpty && !topic.contains(where: { $0 == "+" || $0 == "#" }):
                tile.topic = topic
            case ("field", .string(let field)) where !field.isEmpty: tile.field = field
            case ("unit", .string(let unit)): tile.unit = unit.isEmpty ? nil : unit
            case ("width", .integer(let span)) where (1...BoardTile.maximumSpan).contains(span): tile.span = span
            case ("hysteresis", .integer(let number)) where number >= 0: tile.damping.hysteresis = Double(number)
            case ("hysteresis", .float(let number)) where number >= 0: tile.damping.hysteresis = number
            case ("for", .string(let text)):
                guard let seconds = AlertWords.seconds(text) else { throw fail(item.line, "for = \"\(text)\" is not a duration (10s, 1m)") }
                tile.damping.minimumDuration = seconds
            case ("series", .array(let items)):
                for item in items {
                    guard case .table(let table) = item, case .string(let topic)? = table["topic"]?.value, !topic.isEmpty,
                          table.entries.allSatisfy({ ["topic", "field"].contains($0.key) }) else {
                        throw fail(table.line, "series must be a list of { topic = \"...\", field = \"...\" }")
                    }
                    guard case .string(let field)? = table["field"]?.value else {
                        tile.series.append(TileKey(topic: topic))
                        continue
                    }
                    tile.series.append(TileKey(topic: topic, field: field.isEmpty ? nil : field))
                }
            case ("rules", .array(let words)):
                for word in words {
                    guard case .string(let text) = word, let condition = AlertWords.condition(text) else {
                        throw fail(item.line, "rule \(word) is not one of: \(AlertWords.expected)")
                    }
                    tile.conditions.append(condition)
                }
            case (let key, _) where tileKeys.contains(key):
                throw fail(item.line, "bad value \(item.value) for \(key)")
            default:
                throw fail(item.line, "unknown key \(item.key); expected one of \(tileKeys.joined(separator: ", "))")
            }
        }
        guard !tile.topic.isEmpty else { throw fail(table.line, "a tile needs a topic") }
        return tile
    }

    /// The boards as the file keeps them; `parse` reads back the same boards.
    public static func text(_ boards: [Board]) -> String {
        var lines = ["# mqdash boards: written by the dashboard (P pins, see docs/usage/board.md); edits are kept."]
        for board in boards {
            lines.append("")
            lines.append("[boards.\(quotedKey(board.name))]")
            if !board.bell { lines.append("bell = false") }
            if !board.onAlert.isEmpty { lines.append("on_alert = [" + board.onAlert.map(quoted).joined(separator: ", ") + "]") }
            if let topic = board.alertTopic { lines.append("alert_topic = " + quoted(topic)) }
            for tile in board.tiles {
                lines.append("")
                lines.append("[[boards.\(quotedKey(board.name)).tiles]]")
                lines.append("topic = " + quoted(tile.topic))
                if let field = tile.field { lines.append("field = " + quoted(field)) }
                if let unit = tile.unit { lines.append("unit = " + quoted(unit)) }
                if tile.span != 1 { lines.append("width = \(tile.span)") }
                if !tile.series.isEmpty {
                    lines.append("series = [" + tile.series.map { key in
                        "{ topic = " + quoted(key.topic) + (key.field.map { ", field = " + quoted($0) } ?? "") + " }"
                    }.joined(separator: ", ") + "]")
                }
                if !tile.conditions.isEmpty {
                    lines.append("rules = [" + tile.conditions.map { quoted($0.description) }.joined(separator: ", ") + "]")
                }
                if tile.damping.hysteresis != 0 { lines.append("hysteresis = \(tile.damping.hysteresis)") }
                if tile.damping.minimumDuration != 0 { lines.append("for = \"\(AlertCondition.format(tile.damping.minimumDuration))s\"") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string, which is a JSON string too (the alert messages use it): quotes, backslashes and
    /// control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A bare key when TOML allows one, else quoted.
    static func quotedKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        return bare ? key : quoted(key)
    }
}
