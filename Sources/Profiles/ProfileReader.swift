import ConfigFile

/// Reads one `[profiles.NAME]` table. Unknown keys are errors (a typo must not pass for a setting).
enum ProfileReader {
    static let keys = [
        "host", "port", "url", "user", "password", "password_command", "password_env", "client_id", "client_id_prefix",
        "protocol_version", "keep_alive", "cafile", "capath", "cert", "key", "insecure", "max_packet",
        "subscriptions", "qos", "theme", "log_size", "max_payload", "history",
    ]

    static func read(_ entry: ConfigEntry, file: String) throws(ProfileError) -> ConnectionProfile {
        let tableName = "profiles." + entry.key
        let reader = SettingReader(file: file, table: tableName)
        guard case .table(let table) = entry.value else {
            throw reader.failure(entry, "bad value \(entry.value) for profiles.\(entry.key); expected a table [profiles.\(entry.key)]")
        }
        var profile = ConnectionProfile(name: entry.key, file: file, line: entry.line)
        var passwordEntry: ConfigEntry?
        var defaultQoS: Int?
        var subscriptionsEntry: ConfigEntry?
        for setting in table.entries {
            switch setting.key {
            case "host": profile.host = try reader.nonEmptyString(setting)
            case "port": profile.port = try reader.integer(setting, in: 1...65535)
            case "url": profile.url = try reader.nonEmptyString(setting)
            case "user": profile.user = try reader.string(setting)
            case "password", "password_command", "password_env":
                if let first = passwordEntry {
                    throw reader.failure(setting, "\(setting.key) and \(first.key) (line \(first.line ?? 0)) both set the password of [\(tableName)]; keep one")
                }
                passwordEntry = setting
                switch setting.key {
                case "password": profile.password = .literal(try reader.string(setting))
                case "password_command": profile.password = .command(try reader.nonEmptyString(setting))
                default: profile.password = .environment(try reader.nonEmptyString(setting))
                }
            case "client_id": profile.clientID = try reader.string(setting)
            case "client_id_prefix": profile.clientIDPrefix = try reader.string(setting)
            case "protocol_version":
                // 5 and 311 read naturally as integers; -V's spellings as strings.
                switch setting.value {
                case .integer(let number) where [5, 311].contains(number): profile.protocolVersion = String(number)
                case .string(let text) where ["5", "mqttv5", "311", "mqttv311"].contains(text.lowercased()):
                    profile.protocolVersion = text
                default:
                    throw reader.failure(setting, "bad value \(setting.value) for protocol_version in [\(tableName)]; expected 5, 311, \"mqttv5\" or \"mqttv311\"")
                }
            case "keep_alive": profile.keepAlive = try reader.integer(setting, in: 0...65535)
            case "cafile": profile.cafile = try reader.nonEmptyString(setting)
            case "capath": profile.capath = try reader.nonEmptyString(setting)
            case "cert": profile.cert = try reader.nonEmptyString(setting)
            case "key": profile.key = try reader.nonEmptyString(setting)
            case "insecure": profile.insecure = try reader.bool(setting)
            case "max_packet": profile.maxPacket = try reader.integer(setting, in: 1...268_435_455)
            case "subscriptions": subscriptionsEntry = setting
            case "qos": defaultQoS = try reader.integer(setting, in: 0...2)
            case "theme": profile.theme = try reader.nonEmptyString(setting)
            case "log_size": profile.logSize = try reader.integer(setting, in: 1...Int.max)
            case "max_payload": profile.maxPayload = try reader.integer(setting, in: 0...Int.max)
            case "history": profile.history = try reader.integer(setting, in: 1...Int.max)
            default: throw reader.unknownKey(setting, expected: keys)
            }
        }
        if let subscriptionsEntry {
            profile.subscriptions = try subscriptions(subscriptionsEntry, defaultQoS: defaultQoS, reader: reader)
        }
        profile.qos = defaultQoS
        return profile
    }

    /// `["a/#", "b"]` or `[{ filter = "a/#", qos = 1 }, ...]`, mixed as one likes; `qos` is the default.
    private static func subscriptions(_ entry: ConfigEntry, defaultQoS: Int?, reader: SettingReader) throws(ProfileError) -> [ProfileSubscription] {
        let expected = "an array of filters, \"a/#\" or { filter = \"a/#\", qos = 1 }"
        guard case .array(let items) = entry.value else {
            throw reader.failure(entry, "bad value \(entry.value) for subscriptions in [\(reader.table ?? "")]; expected \(expected)")
        }
        var result: [ProfileSubscription] = []
        for item in items {
            switch item {
            case .string(let filter) where !filter.isEmpty:
                result.append(ProfileSubscription(filter: filter, qos: defaultQoS))
            case .table(let table):
                var subscription = ProfileSubscription(filter: "", qos: defaultQoS)
                for setting in table.entries {
                    let located = ConfigEntry(key: setting.key, value: setting.value, line: setting.line ?? entry.line)
                    switch setting.key {
                    case "filter": subscription.filter = try reader.nonEmptyString(located)
                    case "qos": subscription.qos = try reader.integer(located, in: 0...2)
                    default: throw reader.unknownKey(located, expected: ["filter", "qos"])
                    }
                }
                guard !subscription.filter.isEmpty else {
                    throw reader.failure(entry, "a subscription in [\(reader.table ?? "")] has no filter: \(item)")
                }
                result.append(subscription)
            default:
                throw reader.failure(entry, "bad subscription \(item) in [\(reader.table ?? "")]; expected \(expected)")
            }
        }
        return result
    }
}
