import MQTTCore

/// The last retained message of every topic. A new subscription scans them all for its filter:
/// subscribing is rare next to publishing, and a plain dictionary keeps publishing cheap.
struct RetainedMessages {
    private(set) var byTopic: [String: StoredMessage] = [:]

    var count: Int { byTopic.count }

    /// An empty payload clears the topic (MQTT 3.3.1.3).
    mutating func update(with message: StoredMessage) {
        if message.payload.readableBytes == 0 {
            byTopic.removeValue(forKey: message.topic)
        } else {
            byTopic[message.topic] = message.compacted()
        }
    }

    func matching(filter: String) -> [StoredMessage] {
        byTopic.values.filter { Topic.matches(filter: filter, topic: $0.topic) }
            .sorted { $0.topic < $1.topic }
    }
}
