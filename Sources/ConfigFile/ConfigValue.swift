/// A value read from a TOML file, with the line it was written on, so that whoever reads the settings
/// can name file, line and key in every error (TOMLKit gives lines for syntax errors only).
public indirect enum ConfigValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// Dates, times and date-times, as TOML writes them; no setting uses them yet.
    case dateTime(String)
    case array([ConfigValue])
    case table(ConfigTable)

    /// As it would be written in the file, for error messages.
    public var description: String {
        switch self {
        case .string(let text): return "\"" + text + "\""
        case .integer(let number): return String(number)
        case .float(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .dateTime(let text): return text
        case .array(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .table(let table): return "{" + table.entries.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// What kind of value this is, for "expected ..., found ..." messages.
    public var kindName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .bool: return "a boolean"
        case .dateTime: return "a date"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

/// A table's keys in file order (TOMLKit's own order is alphabetical).
public struct ConfigTable: Equatable, Sendable {
    public var entries: [ConfigEntry]
    /// The line of its `[header]` or of the key that holds it; nil for a table only implied by a dotted name.
    public var line: Int?

    public init(entries: [ConfigEntry] = [], line: Int? = nil) {
        self.entries = entries
        self.line = line
    }

    public subscript(key: String) -> ConfigEntry? { entries.first { $0.key == key } }
}

public struct ConfigEntry: Equatable, Sendable {
    public var key: String
    public var value: ConfigValue
    /// The line the key is written on; nil when it could not be found (a key inside an inline table
    /// gets the line of the table that holds it).
    public var line: Int?

    public init(key: String, value: ConfigValue, line: Int?) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// TOML that TOMLKit refused, with its line and the key on that line when there is one.
public struct ConfigSyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
    public var key: String?

    public init(line: Int, message: String, key: String? = nil) {
        self.line = line
        self.message = message
        self.key = key
    }
}
