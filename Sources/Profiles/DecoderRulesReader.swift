import ConfigFile

/// Reads the `[[decoders]]` tables into (filter, decode) pairs; what `decode` means is the decoder library's business.
enum DecoderRulesReader {
    static func read(_ entry: ConfigEntry, file: String) throws(ProfileError) -> [DecoderRuleSetting] {
        let reader = SettingReader(file: file, table: "[decoders]")
        guard case .array(let items) = entry.value else {
            throw reader.failure(entry, "bad value \(entry.value) for decoders; expected [[decoders]] tables with filter and decode")
        }
        var rules: [DecoderRuleSetting] = []
        for item in items {
            guard case .table(let table) = item else {
                throw reader.failure(entry, "bad value \(item) in decoders; expected [[decoders]] tables with filter and decode")
            }
            var filter: String?
            var decode: String?
            for setting in table.entries {
                switch setting.key {
                case "filter": filter = try reader.nonEmptyString(setting)
                case "decode": decode = try reader.nonEmptyString(setting)
                default: throw reader.unknownKey(setting, expected: ["filter", "decode"])
                }
            }
            guard let filter, let decode else {
                let missing = filter == nil ? "filter" : "decode"
                throw ProfileError(file: file, line: table.line ?? entry.line, key: missing,
                                   "a [[decoders]] table needs both filter and decode; \(missing) is missing")
            }
            rules.append(DecoderRuleSetting(filter: filter, decode: decode, file: file, line: table.line))
        }
        return rules
    }
}
