import Foundation
import MQTTCore

/// Why an ACL file could not be read.
public typealias ACLError = AuthFileError

/// A mosquitto `acl_file`.
///
/// File format (mosquitto.conf(5)):
/// - `topic [read|write|readwrite|deny] <topic>`: the access word is optional (readwrite);
///   the topic is the rest of the line and may use `+` and `#`.
/// - `user <name>`: the `topic` lines after it apply to clients that logged in as `<name>`.
///   `topic` lines before the first `user` line apply to anonymous clients only.
/// - `pattern [access] <topic>`: applies to every client; a level that is exactly `%c` is
///   replaced by the client id, a level that is exactly `%u` by the user name (a pattern with
///   `%u` does not apply to anonymous clients).
/// - A rule's topic is matched literally: a rule `$share/g/#` names the topics under `$share/g`,
///   never "every topic" (only a SUBSCRIBE's own `$share/<group>/` is read as a shared subscription).
/// - Blank lines and lines starting with `#` are ignored; anything else is an error.
///
/// Decisions, as mosquitto 2.0 makes them for publish and delivery:
/// - a client's rules are its user's `topic` lines (or the anonymous ones) plus all patterns;
/// - a `deny` rule matching the topic refuses, whatever else allows it ("deny overrides");
/// - otherwise a rule granting the access (write for publish, read for delivery) whose topic
///   filter matches the topic allows it; nothing matching means refused;
/// - when a pattern needs a client id or user name that contains `+` or `#`, the access is
///   refused outright (mosquitto's fix for CVE-2017-7650);
/// - beyond mosquitto: a pattern needing a client id or user name that contains `/` or starts
///   with `$` grants nothing to that client (a deny pattern still applies). Substituted, `/`
///   would reach into levels that belong to another client (`victim/valve` under
///   `devices/%c/#` writes into client `victim`'s `devices/victim/...`), and a leading `$` would
///   name a `$` tree (`$SYS` under `%c/#`). mosquitto 2.0.11 substitutes both.
///
/// Subscriptions: mosquitto 2.0.11 grants every SUBSCRIBE when only an acl_file is in use (checked
/// here against the real broker) and filters each message at delivery with the read check
/// (`canRead`). This broker refuses what can never deliver anything instead, and still checks
/// every delivery with `canRead`. `canSubscribe` allows a filter when
/// - some read/readwrite rule's topic overlaps the filter (at least one topic matches both), and
/// - no deny rule covers the filter (every topic the filter matches is denied).
/// A SUBSCRIBE filter's own `$share/<group>/` prefix is checked by its underlying filter.
public struct ACL: Sendable, Equatable {
    public enum Access: String, Sendable, Equatable {
        case read
        case write
        case readwrite
        case deny

        var allowsRead: Bool { self == .read || self == .readwrite }
        var allowsWrite: Bool { self == .write || self == .readwrite }
    }

    public struct Rule: Sendable, Equatable {
        public var access: Access
        public var topic: String
        /// 1-based line in the ACL file.
        public var line: Int

        public init(access: Access, topic: String, line: Int = 0) {
            self.access = access
            self.topic = topic
            self.line = line
        }
    }

    /// `topic` lines before the first `user` line.
    public private(set) var anonymousRules: [Rule] = []
    /// `topic` lines after each `user <name>` line, by user name.
    public private(set) var userRules: [String: [Rule]] = [:]
    /// `pattern` lines, for every client.
    public private(set) var patterns: [Rule] = []

    public init(anonymousRules: [Rule] = [], userRules: [String: [Rule]] = [:], patterns: [Rule] = []) {
        self.anonymousRules = anonymousRules
        self.userRules = userRules
        self.patterns = patterns
    }

    /// Parses an ACL file's text; `file` names it in errors.
    public init(contents: String, file: String = "<acl file>") throws(ACLError) {
        var currentUser: String?
        var number = 0
        for raw in contents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let keyword: String
            let rest: String
            if let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) {
                keyword = String(text[..<space])
                rest = text[space...].trimmingCharacters(in: .whitespaces)
            } else {
                keyword = text
                rest = ""
            }
            switch keyword {
            case "user":
                guard !rest.isEmpty else {
                    throw ACLError(file: file, line: number, message: "Missing user name after \"user\".")
                }
                currentUser = rest
                if userRules[rest] == nil { userRules[rest] = [] }
            case "topic", "pattern":
                var access = Access.readwrite
                var topic = rest
                if let space = rest.firstIndex(where: { $0 == " " || $0 == "\t" }),
                   let word = Access(rawValue: String(rest[..<space])) {
                    access = word
                    topic = rest[space...].trimmingCharacters(in: .whitespaces)
                } else if Access(rawValue: rest) != nil {
                    throw ACLError(file: file, line: number, message: "Missing topic after \"\(keyword) \(rest)\".")
                }
                guard !topic.isEmpty else {
                    throw ACLError(file: file, line: number, message: "Missing topic after \"\(keyword)\".")
                }
                do {
                    try Topic.validateFilter(topic)
                } catch {
                    throw ACLError(file: file, line: number, message: "Invalid topic \"\(topic)\": \(error).")
                }
                let rule = Rule(access: access, topic: topic, line: number)
                if keyword == "pattern" {
                    patterns.append(rule)
                } else if let user = currentUser {
                    userRules[user, default: []].append(rule)
                } else {
                    anonymousRules.append(rule)
                }
            default:
                throw ACLError(file: file, line: number, message: "Invalid line in ACL file: unknown keyword \"\(keyword)\" (expected topic, user or pattern).")
            }
        }
    }

    public static func load(path: String) throws(ACLError) -> ACL {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ACLError(file: path, line: 0, message: "Unable to open acl_file \(path).")
        }
        return try ACL(contents: String(decoding: data, as: UTF8.self), file: path)
    }

    // MARK: Decisions

    /// May this client publish to `topic` (a valid topic name)?
    public func canPublish(clientID: String, username: String?, topic: String) -> Bool {
        guard let levels = Self.topicLevels(topic) else { return false }
        return check(clientID: clientID, username: username) { rule in
            Self.matches(rule: Self.levels(rule.topic), topic: levels) ? rule.access.allowsWrite : nil
        }
    }

    /// May a message on `topic` be delivered to this client? The broker asks this for every
    /// message it sends, as mosquitto does.
    public func canRead(clientID: String, username: String?, topic: String) -> Bool {
        guard let levels = Self.topicLevels(topic) else { return false }
        return check(clientID: clientID, username: username) { rule in
            Self.matches(rule: Self.levels(rule.topic), topic: levels) ? rule.access.allowsRead : nil
        }
    }

    /// May this client subscribe to `filter`? See the type's documentation for the rule.
    public func canSubscribe(clientID: String, username: String?, filter: String) -> Bool {
        do {
            try Topic.validateFilter(filter)
        } catch {
            return false
        }
        let underlying = SharedSubscription(parsing: filter)?.filter ?? filter
        let levels = Self.levels(underlying)
        return check(clientID: clientID, username: username, denyTest: { rule in
            Self.covers(Self.levels(rule.topic), levels)
        }, grantTest: { rule in
            rule.access.allowsRead && Self.overlaps(Self.levels(rule.topic), levels)
        })
    }

    /// Walks the client's rules: any deny rule matching refuses, then any granting rule allows.
    /// `test` returns nil when the rule's topic does not apply, else whether it grants.
    private func check(clientID: String, username: String?, _ test: (Rule) -> Bool?) -> Bool {
        check(clientID: clientID, username: username, denyTest: { test($0) != nil }, grantTest: { test($0) == true })
    }

    private func check(clientID: String, username: String?, denyTest: (Rule) -> Bool, grantTest: (Rule) -> Bool) -> Bool {
        guard let rules = rules(clientID: clientID, username: username) else { return false }
        for rule in rules where rule.access == .deny && denyTest(rule) {
            return false
        }
        for rule in rules where rule.access != .deny && grantTest(rule) {
            return true
        }
        return false
    }

    /// The rules that apply to a client, patterns substituted; nil when a pattern would have
    /// to substitute an id containing a wildcard (refuse everything, like mosquitto). A granting
    /// pattern whose value would not stay one plain level is left out.
    func rules(clientID: String, username: String?) -> [Rule]? {
        var result: [Rule]
        if let username {
            result = userRules[username] ?? []
        } else {
            result = anonymousRules
        }
        for pattern in patterns {
            let levels = pattern.topic.split(separator: "/", omittingEmptySubsequences: false)
            let needsUser = levels.contains("%u")
            let needsClient = levels.contains("%c")
            if needsUser && username == nil { continue }
            if needsUser, let username, Self.hasWildcard(username) { return nil }
            if needsClient && Self.hasWildcard(clientID) { return nil }
            if !needsUser && !needsClient {
                result.append(pattern)
                continue
            }
            let staysOneLevel = (!needsClient || Self.isPlainLevel(clientID))
                && (!needsUser || username.map(Self.isPlainLevel) == true)
            if !staysOneLevel && pattern.access != .deny { continue }
            let topic = levels.map { level -> Substring in
                if level == "%c" { return clientID[...] }
                if level == "%u", let username { return username[...] }
                return level
            }.joined(separator: "/")
            result.append(Rule(access: pattern.access, topic: topic, line: pattern.line))
        }
        return result
    }

    private static func hasWildcard(_ text: String) -> Bool {
        text.contains("+") || text.contains("#")
    }

    /// Whether a substituted value stays inside its own level and out of `$` trees.
    private static func isPlainLevel(_ text: String) -> Bool {
        !text.contains("/") && !text.hasPrefix("$")
    }

    /// A topic name's levels; nil for something that is no topic name (it matches no rule).
    private static func topicLevels(_ topic: String) -> [Substring]? {
        do {
            try Topic.validateName(topic)
        } catch {
            return nil
        }
        return levels(topic)
    }

    /// Whether a topic name matches a rule, literally. A topic name is a filter without
    /// wildcards, so this is the rule covering it.
    static func matches(rule: [Substring], topic: [Substring]) -> Bool {
        covers(rule, topic)
    }

    // MARK: Filter algebra

    static func levels(_ filter: String) -> [Substring] {
        filter.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// Whether some topic name matches both filters (the `$` rule of MQTT 4.7.2 included:
    /// a filter starting with a wildcard matches no topic starting with `$`).
    static func overlaps(_ a: [Substring], _ b: [Substring]) -> Bool {
        if let first = a.first, let other = b.first {
            let aWild = first == "+" || first == "#"
            let bWild = other == "+" || other == "#"
            if aWild && !bWild && other.hasPrefix("$") { return false }
            if bWild && !aWild && first.hasPrefix("$") { return false }
        }
        var index = 0
        while index < a.count && index < b.count {
            let x = a[index], y = b[index]
            if x == "#" || y == "#" { return true }
            if x != "+" && y != "+" && x != y { return false }
            index += 1
        }
        if a.count == b.count { return true }
        // One ended: "a/#" also matches "a".
        let longer = a.count > b.count ? a : b
        return longer.count == index + 1 && longer[index] == "#"
    }

    /// Whether every topic matching `filter` also matches `rule`.
    static func covers(_ rule: [Substring], _ filter: [Substring]) -> Bool {
        var index = 0
        while index < rule.count {
            let r = rule[index]
            if r == "#" {
                // A leading "#" does not match $-topics, which a literal "$..." filter names.
                if index == 0, let first = filter.first, first != "+", first != "#", first.hasPrefix("$") {
                    return false
                }
                return true
            }
            guard index < filter.count else { return false }
            let f = filter[index]
            if f == "#" { return false }
            if r == "+" {
                if index == 0 && f != "+" && f.hasPrefix("$") { return false }
            } else if f == "+" || f != r {
                return false
            }
            index += 1
        }
        return index == filter.count
    }
}
