import TOMLKit

/// Reads a TOML file with TOMLKit and gives every table and key the line it is written on.
public enum ConfigDocument {
    public static func parse(_ text: String) throws(ConfigSyntaxError) -> ConfigTable {
        let locations = ConfigKeyLocator(text)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw ConfigSyntaxError(line: line, message: Self.sentence(error.description), key: locations.keyOnLine[line])
        } catch {
            throw ConfigSyntaxError(line: 1, message: "\(error)")
        }
        return convert(root, path: [], line: nil, locations: locations)
    }

    private static func convert(_ table: TOMLTable, path: [String], line: Int?, locations: ConfigKeyLocator) -> ConfigTable {
        var entries: [ConfigEntry] = []
        for key in table.keys {
            guard let value = table[key] else { continue }
            let keyPath = path + [key]
            let keyLine = locations.lines[keyPath] ?? line
            entries.append(ConfigEntry(key: key, value: convert(value, path: keyPath, line: keyLine, locations: locations), line: keyLine))
        }
        // File order, so that the first mistake reported is the first one in the file.
        entries.sort { ($0.line ?? Int.max, $0.key) < ($1.line ?? Int.max, $1.key) }
        return ConfigTable(entries: entries, line: line)
    }

    private static func convert(_ value: TOMLValueConvertible, path: [String], line: Int?, locations: ConfigKeyLocator) -> ConfigValue {
        switch value.type {
        case .table:
            return .table(convert(value.table!, path: path, line: line, locations: locations))
        case .array:
            let array = value.array!
            return .array(array.indices.map { index in
                // [[name]] tables are located by their index among the headers of that name.
                let elementPath = path + ["[\(index)]"]
                return convert(array[index], path: elementPath, line: locations.lines[elementPath] ?? line, locations: locations)
            })
        case .string: return .string(value.string!)
        case .int: return .integer(value.int!)
        case .double: return .float(value.double!)
        case .bool: return .bool(value.bool!)
        case .date, .time, .dateTime: return .dateTime(value.tomlValue.debugDescription)
        }
    }

    /// toml++ words its errors as sentences with a capital and a period: ours are clauses after "syntax error: ".
    private static func sentence(_ text: String) -> String {
        var text = text.trimmingTrailingPeriod
        if let first = text.first, first.isUppercase, !(text.dropFirst().first?.isUppercase ?? false) {
            text = first.lowercased() + text.dropFirst()
        }
        return text
    }
}

private extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
