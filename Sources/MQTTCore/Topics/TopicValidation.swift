/// Why a topic name or topic filter was refused.
///
/// Checked in the order the cases are listed, so a string with several faults reports the
/// first one; the broker turns any of them into "Topic Name invalid" (0x90) or
/// "Topic Filter invalid" (0x8F), the CLI prints `description`.
public enum TopicValidationError: Error, Equatable, Sendable {
    /// The name or filter has no characters at all.
    case empty
    /// More than 65 535 bytes of UTF-8: it cannot be encoded in an MQTT string.
    case tooLong
    /// Contains U+0000, which MQTT strings must never carry.
    case containsNullCharacter
    /// A topic name (what is published to) contains `+` or `#`.
    case wildcardInTopicName
    /// `#` is followed by more levels, as in `a/#/b`.
    case multiLevelWildcardNotLast
    /// `+` or `#` shares a level with other characters, as in `a/b+` or `a#`.
    case wildcardNotWholeLevel
    /// `$share/...` without a usable group name or filter.
    case invalidSharedSubscription
}

extension TopicValidationError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .empty:
            return "the topic is empty; give at least one character"
        case .tooLong:
            return "the topic is longer than 65535 bytes of UTF-8"
        case .containsNullCharacter:
            return "the topic contains a NUL character (U+0000)"
        case .wildcardInTopicName:
            return "a topic to publish to cannot contain the wildcards '+' or '#'"
        case .multiLevelWildcardNotLast:
            return "'#' must be the last level of a topic filter, as in 'sensors/#'"
        case .wildcardNotWholeLevel:
            return "'+' and '#' must fill a whole level, as in 'a/+/c' (not 'a/b+/c')"
        case .invalidSharedSubscription:
            return "a shared subscription must look like '$share/<group>/<filter>' with a group free of '+', '#' and '/'"
        }
    }
}

/// Topic name and topic filter rules of MQTT 3.1.1 section 4.7 and MQTT 5.0 section 4.7/4.8.
///
/// These functions are for the edges (decoding, CLI arguments, the publish form). The hot
/// path of the broker matches through `SubscriptionTrie`, which expects already validated input.
public enum Topic {
    /// The largest number of UTF-8 bytes an MQTT string (and so a topic) can hold.
    public static let maximumLength = 65_535

    /// Checks a topic name as used by PUBLISH and wills.
    ///
    /// Empty levels (`a//b`, `/a`) and `$`-prefixed names are legal names.
    public static func validateName(_ name: String) throws(TopicValidationError) {
        try validateString(name)
        if containsWildcard(name) { throw .wildcardInTopicName }
    }

    /// Whether `topic` holds `+` or `#`, which no topic name (nor a v5 Response Topic) may.
    public static func containsWildcard(_ topic: String) -> Bool {
        topic.utf8.contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }
    }

    /// Checks a topic filter as used by SUBSCRIBE and UNSUBSCRIBE.
    ///
    /// `$share/<group>/<filter>` is read as a shared subscription (MQTT 5.0 4.8.2). We do this
    /// for both protocol versions, as mosquitto does, because a 3.1.1 client sending such a
    /// filter means the same thing.
    public static func validateFilter(_ filter: String) throws(TopicValidationError) {
        try validateString(filter)
        if let parts = SharedSubscription.split(filter) {
            guard let group = parts.group, let inner = parts.filter else {
                throw .invalidSharedSubscription
            }
            for byte in group.utf8 where byte == UInt8(ascii: "+") || byte == UInt8(ascii: "#") {
                throw .invalidSharedSubscription
            }
            try validateFilterLevels(inner.utf8)
        } else {
            try validateFilterLevels(filter.utf8[...])
        }
    }

    /// Whether `topic` is delivered to a subscription on `filter`, by the matching rules of
    /// section 4.7: `+` matches exactly one level (including an empty one), `#` matches the
    /// parent level and any number of levels below it (so `sport/#` matches `sport`), and a
    /// topic starting with `$` is not matched by a filter starting with `+` or `#`.
    ///
    /// A shared subscription matches by its underlying filter. An invalid filter or an invalid
    /// topic name matches nothing, so a literal `a+` never "matches" the topic `a+`.
    public static func matches(filter: String, topic: String) -> Bool {
        do {
            try validateFilter(filter)
            try validateName(topic)
        } catch {
            return false
        }
        let underlying: Substring
        if let parts = SharedSubscription.split(filter), let inner = parts.filter {
            underlying = inner
        } else {
            underlying = filter[...]
        }

        // One walk over both, level by level, with no arrays: this runs per message (the dashboard's log filter,
        // a bridge's topic rules). Both are valid here, so `+` and `#` are whole levels and `#` is the last.
        let slash = UInt8(ascii: "/"), plus = UInt8(ascii: "+"), hash = UInt8(ascii: "#")
        let filterBytes = underlying.utf8, topicBytes = topic.utf8
        var f = filterBytes.startIndex, t = topicBytes.startIndex

        // Section 4.7.2: wildcards at the first level must not reach server-internal $-topics.
        if topicBytes.first == UInt8(ascii: "$"), let first = filterBytes.first, first == plus || first == hash {
            return false
        }
        while true {
            // Here both stand at the start of a level.
            if f < filterBytes.endIndex && filterBytes[f] == hash {
                return true  // also covers the parent level: "sport/#" vs "sport"
            }
            if f < filterBytes.endIndex && filterBytes[f] == plus {
                f = filterBytes.index(after: f)
                while t < topicBytes.endIndex && topicBytes[t] != slash { t = topicBytes.index(after: t) }
            } else {
                while f < filterBytes.endIndex && filterBytes[f] != slash {
                    guard t < topicBytes.endIndex && topicBytes[t] == filterBytes[f] else { return false }
                    f = filterBytes.index(after: f)
                    t = topicBytes.index(after: t)
                }
                if t < topicBytes.endIndex && topicBytes[t] != slash { return false }
            }
            // Both at the end of a level: at a '/' or at the end.
            let filterEnded = f == filterBytes.endIndex, topicEnded = t == topicBytes.endIndex
            if filterEnded { return topicEnded }
            f = filterBytes.index(after: f)
            if topicEnded {
                // Only "/#" may follow the topic's last level.
                return f < filterBytes.endIndex && filterBytes[f] == hash
            }
            t = topicBytes.index(after: t)
        }
    }

    /// The checks every MQTT string used as a topic has to pass.
    private static func validateString(_ string: String) throws(TopicValidationError) {
        let bytes = string.utf8
        if bytes.isEmpty { throw .empty }
        if bytes.count > maximumLength { throw .tooLong }
        if bytes.contains(0) { throw .containsNullCharacter }
    }

    /// `+` and `#` stand alone in their level, `#` only in the last one.
    private static func validateFilterLevels(_ bytes: Substring.UTF8View) throws(TopicValidationError) {
        let plus = UInt8(ascii: "+")
        let hash = UInt8(ascii: "#")
        let slash = UInt8(ascii: "/")
        var levelLength = 0
        var levelHasWildcard = false
        var sawMultiLevel = false  // the previous level was a complete "#"
        for byte in bytes {
            if byte == slash {
                if sawMultiLevel { throw .multiLevelWildcardNotLast }
                levelLength = 0
                levelHasWildcard = false
                continue
            }
            // A wildcard must be the only byte of its level: either it arrives in a level that
            // already has bytes, or a byte arrives after it.
            if levelHasWildcard { throw .wildcardNotWholeLevel }
            if byte == plus || byte == hash {
                if levelLength > 0 { throw .wildcardNotWholeLevel }
                levelHasWildcard = true
                sawMultiLevel = byte == hash
            }
            levelLength += 1
        }
    }
}

/// A subscription of the form `$share/<group>/<filter>` (MQTT 5.0 section 4.8.2): messages
/// matching `filter` go to one member of `group` instead of to every subscriber.
public struct SharedSubscription: Equatable, Sendable {
    /// The share name; never empty, without `/`, `+` or `#`.
    public let group: String
    /// The underlying filter that topics are matched against.
    public let filter: String

    /// The prefix that marks a shared subscription.
    public static let prefix = "$share/"

    /// Reads a valid shared subscription; `nil` for anything else, including ordinary filters
    /// and malformed `$share/...` strings (use `Topic.validateFilter` to learn why).
    public init?(parsing string: String) {
        guard let parts = Self.split(string), let group = parts.group, let filter = parts.filter else {
            return nil
        }
        do {
            try Topic.validateFilter(string)
        } catch {
            return nil
        }
        self.group = String(group)
        self.filter = String(filter)
    }

    /// Splits `$share/group/filter` without judging the pieces; `nil` when the string does not
    /// start with `$share/`. A missing group or filter comes back as `nil` so that callers can
    /// tell "not shared" from "shared but malformed".
    static func split(_ string: String) -> (group: Substring?, filter: Substring?)? {
        guard string.utf8.starts(with: prefix.utf8) else { return nil }
        let rest = string.utf8.dropFirst(prefix.utf8.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else {
            return (group: nil, filter: nil)
        }
        let group = Substring(rest[..<slash])
        let filter = Substring(rest[rest.index(after: slash)...])
        return (group: group.isEmpty ? nil : group, filter: filter.isEmpty ? nil : filter)
    }
}
