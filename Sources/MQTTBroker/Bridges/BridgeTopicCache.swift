import MQTTCore

/// A bridge's lookups of `out` topics, remembered: a bridge carries the same topics again and again, and each
/// lookup walks the rules' filters and builds the remote name. Bounded by the bytes of the names it holds; it is
/// emptied when a new one would pass `byteLimit`.
struct BridgeTopicCache {
    static let byteLimit = 1 << 20
    private var remoteNames: [String: (topic: String, qos: QoS)?] = [:]
    private(set) var bytes = 0

    var count: Int { remoteNames.count }

    /// `map.remote(forLocal:)`, from memory when this topic was looked up before.
    mutating func remote(forLocal topic: String, in map: BridgeTopicMap) -> (topic: String, qos: QoS)? {
        if let known = remoteNames[topic] { return known }
        let found = map.remote(forLocal: topic)
        let size = topic.utf8.count + (found?.topic.utf8.count ?? 0)
        if bytes + size > Self.byteLimit {
            remoteNames.removeAll()
            bytes = 0
        }
        remoteNames[topic] = .some(found)
        bytes += size
        return found
    }
}
