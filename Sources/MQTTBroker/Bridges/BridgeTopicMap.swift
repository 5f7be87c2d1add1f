import MQTTCore

/// A bridge's `topic` rules as lookups: which rule carries a topic across, and what it is called there.
/// mosquitto's rules: the first rule of the right direction whose filter matches wins; the prefix of the
/// side the message comes from is taken off and the other side's put on.
struct BridgeTopicMap {
    let rules: [BridgeConfiguration.TopicRule]

    /// A local message's topic on the remote, and the rule's QoS; nil when no `out`/`both` rule matches.
    func remote(forLocal topic: String) -> (topic: String, qos: QoS)? {
        for rule in rules where rule.direction.forwardsOut && Topic.matches(filter: rule.localFilter, topic: topic) {
            if rule.localPrefix.isEmpty && rule.remotePrefix.isEmpty { return (topic, rule.qos) }
            return (rule.remotePrefix + topic.dropFirst(rule.localPrefix.count), rule.qos)
        }
        return nil
    }

    /// A remote message's topic here, and the rule's QoS; nil when no `in`/`both` rule matches. A remote prefix
    /// `$share/GROUP/...` subscribes through a shared subscription: its messages carry the topic without it.
    func local(forRemote topic: String) -> (topic: String, qos: QoS)? {
        for rule in rules where rule.direction.forwardsIn {
            let prefix = Self.topicPart(ofRemotePrefix: rule.remotePrefix)
            guard Topic.matches(filter: prefix + rule.pattern, topic: topic) else { continue }
            return (rule.localPrefix + topic.dropFirst(prefix.count), rule.qos)
        }
        return nil
    }

    /// `$share/GROUP/rest` -> `rest`; any other prefix as it is.
    static func topicPart(ofRemotePrefix prefix: String) -> String {
        guard prefix.hasPrefix("$share/") else { return prefix }
        let afterShare = prefix.dropFirst("$share/".count)
        guard let slash = afterShare.firstIndex(of: "/") else { return "" }
        return String(afterShare[afterShare.index(after: slash)...])
    }

    /// What the bridge subscribes to on the remote (`in` and `both`).
    var remoteSubscriptions: [BridgeConfiguration.TopicRule] { rules.filter(\.direction.forwardsIn) }
    /// What the bridge's local session subscribes to (`out` and `both`).
    var localSubscriptions: [BridgeConfiguration.TopicRule] { rules.filter(\.direction.forwardsOut) }
}
