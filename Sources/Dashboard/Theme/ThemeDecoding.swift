import ConfigFile

/// Turns the text of a theme file into a `Theme`.
///
/// Every role starts as a copy of `[text]` and changes only what its own table sets, so a missing
/// role looks like plain text and a table may set just `fg` and keep the background of `[text]`
/// (what a theme with its own background colour, like solarized-dark, wants).
extension Theme {
    /// - Parameters:
    ///   - file: how errors name the file.
    ///   - name: the name when the file has no `name = "..."` key (the loader passes the file name).
    public static func parse(_ source: String, file: String, name: String? = nil) throws(ThemeError) -> Theme {
        let document: ConfigTable
        do {
            document = try ConfigDocument.parse(source)
        } catch {
            throw ThemeError(.syntax(error.message), file: file, line: error.line, key: error.key)
        }

        var themeName = name ?? "unnamed"
        // Check every key first, in file order, so the error reported is the first one in the file.
        var overrides: [(role: Role, apply: (inout Style) -> Void)] = []
        for entry in document.entries {
            if case .table(let table) = entry.value {
                guard let role = Role(rawValue: entry.key) else {
                    throw ThemeError(.unknownRole(entry.key), file: file, line: entry.line, key: entry.key)
                }
                overrides.append((role, try styleChanges(table, name: entry.key, file: file)))
                continue
            }
            guard entry.key == "name" else {
                throw ThemeError(.unknownKey, file: file, line: entry.line, key: entry.key)
            }
            guard case .string(let text) = entry.value, !text.isEmpty else {
                throw ThemeError(.badValue(value: entry.value.description, expected: "a non-empty \"string\""),
                                 file: file, line: entry.line, key: entry.key)
            }
            themeName = text
        }

        let text = overrides.filter { $0.role == .text }.reduce(into: Style.plain) { style, override in override.apply(&style) }
        var styles: [Role: Style] = [:]
        for role in Role.allCases { styles[role] = text }
        for override in overrides where override.role != .text { override.apply(&styles[override.role, default: text]) }
        return Theme(name: themeName, styles: styles)
    }

    private static func styleChanges(_ table: ConfigTable, name: String, file: String) throws(ThemeError) -> (inout Style) -> Void {
        var foreground: TerminalColor?
        var background: TerminalColor?
        var attributes: TextAttributes?
        for entry in table.entries {
            func failure(_ kind: ThemeError.Kind) -> ThemeError {
                ThemeError(kind, file: file, line: entry.line, key: entry.key, table: name)
            }
            switch entry.key {
            case "fg", "bg":
                guard let color = ThemeValues.color(entry.value) else { throw failure(.badColor(value: entry.value.description)) }
                if entry.key == "fg" { foreground = color } else { background = color }
            case "attrs":
                guard case .array(let items) = entry.value else {
                    throw failure(.badValue(value: entry.value.description, expected: "an array such as [\"bold\", \"underline\"]"))
                }
                var set: TextAttributes = []
                for item in items {
                    guard case .string(let name) = item, let attribute = ThemeValues.attribute(named: name) else {
                        throw failure(.badAttribute(value: item.description))
                    }
                    set.insert(attribute)
                }
                attributes = set
            default:
                throw failure(.unknownKey)
            }
        }
        return { [foreground, background, attributes] style in
            if let foreground { style.foreground = foreground }
            if let background { style.background = background }
            if let attributes { style.attributes = attributes }
        }
    }
}
