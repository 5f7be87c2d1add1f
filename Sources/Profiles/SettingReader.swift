import ConfigFile

/// Reads typed values out of config entries, with errors that name file, line, key and table.
struct SettingReader {
    var file: String
    /// The table the keys are in, for messages ("in [profiles.home]").
    var table: String?

    func failure(_ entry: ConfigEntry, _ message: String) -> ProfileError {
        ProfileError(file: file, line: entry.line, key: entry.key, message)
    }

    private var place: String { table.map { " in [\($0)]" } ?? "" }

    private func wrongType(_ entry: ConfigEntry, expected: String) -> ProfileError {
        failure(entry, "bad value \(entry.value) for \(entry.key)\(place); expected \(expected)")
    }

    func string(_ entry: ConfigEntry) throws(ProfileError) -> String {
        guard case .string(let text) = entry.value else { throw wrongType(entry, expected: "a \"string\"") }
        return text
    }

    func nonEmptyString(_ entry: ConfigEntry) throws(ProfileError) -> String {
        guard case .string(let text) = entry.value, !text.isEmpty else {
            throw wrongType(entry, expected: "a non-empty \"string\"")
        }
        return text
    }

    func integer(_ entry: ConfigEntry, in range: ClosedRange<Int>) throws(ProfileError) -> Int {
        guard case .integer(let number) = entry.value, range.contains(number) else {
            throw wrongType(entry, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func bool(_ entry: ConfigEntry) throws(ProfileError) -> Bool {
        guard case .bool(let flag) = entry.value else { throw wrongType(entry, expected: "true or false") }
        return flag
    }

    func table(_ entry: ConfigEntry) throws(ProfileError) -> ConfigTable {
        guard case .table(let table) = entry.value else { throw wrongType(entry, expected: "a table") }
        return table
    }

    func unknownKey(_ entry: ConfigEntry, expected: [String]) -> ProfileError {
        failure(entry, "unknown key \(entry.key)\(place); expected one of \(expected.joined(separator: ", "))")
    }
}
