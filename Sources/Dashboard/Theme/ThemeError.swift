/// Why a theme could not be loaded. The description is the one line mqdash prints to stderr:
/// `FILE:LINE: message naming the key`, so the user can go straight to the mistake.
public struct ThemeError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `--theme NAME` matched no file in the search directories and no built-in theme.
        case unknownTheme(name: String, available: [String])
        case unreadable(reason: String)
        case syntax(String)
        /// A `[table]` that is not a `Role` raw value.
        case unknownRole(String)
        case unknownKey
        case badColor(value: String)
        case badAttribute(value: String)
        /// A key with the wrong kind of value, e.g. `name = 3`.
        case badValue(value: String, expected: String)
    }

    public var kind: Kind
    /// The file as the user named it or as it was found on the search path; nil for `unknownTheme`.
    public var file: String?
    public var line: Int?
    public var key: String?
    /// The table the key is in, nil at the top of the file.
    public var table: String?

    public init(_ kind: Kind, file: String? = nil, line: Int? = nil, key: String? = nil, table: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.key = key
        self.table = table
    }

    public var description: String {
        var location = ""
        if let file { location = file + (line.map { ":\($0)" } ?? "") + ": " }
        return location + message
    }

    private var message: String {
        let keyName = key ?? "?"
        let place = table.map { " in [\($0)]" } ?? ""
        switch kind {
        case .unknownTheme(let name, let available):
            return "unknown theme \"\(name)\"; available: \(available.joined(separator: ", "))"
        case .unreadable(let reason):
            return "cannot read theme file: \(reason)"
        case .syntax(let text):
            return "syntax error: \(text)"
        case .unknownRole(let name):
            return "unknown role [\(name)]; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownKey:
            let expected = table == nil ? "name" : "fg, bg, attrs"
            return "unknown key \(keyName)\(place); expected \(expected)"
        case .badColor(let value):
            return "bad colour \(value) for \(keyName)\(place); use \"default\", a name (black..white, "
                + "bright-black..bright-white), 0-255 or \"#rrggbb\""
        case .badAttribute(let value):
            return "bad attribute \(value) for \(keyName)\(place); use \(ThemeValues.attributeNames.map(\.name).joined(separator: ", "))"
        case .badValue(let value, let expected):
            return "bad value \(value) for \(keyName)\(place); expected \(expected)"
        }
    }
}
