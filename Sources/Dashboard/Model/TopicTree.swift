import MQTTCore
import NIOCore

/// One level of the topic tree. Nodes live in `TopicTree.nodes` and point at each other by index,
/// so applying a message is a few array writes: no class per node, no reference counting.
public struct TopicNode: Sendable {
    /// This level's name, e.g. `temp` in `livingroom/temp`.
    public internal(set) var name: String
    /// The full topic up to and including this level.
    public internal(set) var topic: String
    /// Index of the parent node; -1 for the root.
    public internal(set) var parent: Int
    /// 0 for the root, 1 for the first level.
    public internal(set) var depth: Int
    /// The newest message published to exactly this topic: the newest history entry, so that it is
    /// not kept twice (with 100 000 topics a second copy per topic is ~17 MB). Without history
    /// (`historyPerTopic` 0) the ring still holds this one message.
    public var last: ReceivedMessage? { history.newest(topic: topic) }
    /// Whether the broker holds a retained value here (see `TopicTree.apply`).
    public internal(set) var retained = false
    /// Messages to exactly this topic.
    public internal(set) var count = 0
    /// Payload bytes (full wire length) of the messages to exactly this topic, for the traffic ranking.
    public internal(set) var bytes = 0
    /// The largest payload seen at exactly this topic.
    public internal(set) var largestPayload = 0
    /// Messages to this topic and everything below it.
    public internal(set) var subtreeCount = 0
    /// Newest arrival in the subtree (seconds since 1970); 0 when none yet.
    public internal(set) var lastTime: Double = 0
    /// When the payload last changed, for the brief flash.
    public internal(set) var changedAt: Double = -1
    /// The user's explicit expand/collapse; nil follows the automatic depth.
    public internal(set) var expandedOverride: Bool?
    /// Lives under `$SYS` (or another `$` first level), hidden unless toggled on.
    public internal(set) var isSystem: Bool

    var children: [String: Int] = [:]
    /// The recent messages, payloads packed.
    var history = TopicHistory()

    public var hasChildren: Bool { !children.isEmpty }

}

/// Every topic seen, nested by level.
public struct TopicTree: Sendable {
    public private(set) var nodes: [TopicNode]
    /// Full topic -> node: a known topic costs one hash lookup and no splitting.
    private var index: [String: Int] = [:]
    public let historyCapacity: Int
    /// Distinct topics that received at least one message.
    public private(set) var topicCount = 0
    /// Nodes per depth, for the automatic expansion depth (`[0]` is the root). System topics excluded.
    public private(set) var nodesPerDepth: [Int] = [1]
    /// Changes whenever a node is added; row caches compare it.
    public private(set) var structureVersion = 0
    /// Messages applied so far.
    public var totalMessages: Int { nodes[TopicTree.root].subtreeCount }

    public static let root = 0

    public init(historyCapacity: Int) {
        self.historyCapacity = max(0, historyCapacity)
        nodes = [TopicNode(name: "", topic: "", parent: -1, depth: 0, isSystem: false)]
    }

    public func node(_ topic: String) -> Int? { index[topic] }

    /// Records `message` at its topic, creating the levels on first sight, and returns the node.
    /// The retained marker follows the broker's view: a retained message sets it, an empty payload
    /// (how retained values are cleared) removes it, a live message leaves it as it was.
    @discardableResult
    public mutating func apply(_ incoming: ReceivedMessage) -> Int {
        let id = index[incoming.topic] ?? insert(incoming.topic)
        var message = incoming
        // Every stored copy shares the node's topic string: a topic longer than 15 bytes is a heap
        // string, and 1M history entries would otherwise hold 1M copies of a hundred thousand topics.
        message.topic = nodes[id].topic
        let time = message.receivedAt
        if nodes[id].count == 0 { topicCount += 1 }
        let changed: Bool
        if let newest = nodes[id].history.newestPayload {
            changed = !newest.elementsEqual(message.payload.readableBytesView)
        } else {
            changed = false
        }
        if changed { nodes[id].changedAt = time }
        if message.size == 0 {
            nodes[id].retained = false
        } else if message.retain {
            nodes[id].retained = true
        }
        nodes[id].count += 1
        // Only this node: the traffic view sums subtrees when it draws, so a message costs O(1) here.
        nodes[id].bytes += message.size
        if message.size > nodes[id].largestPayload { nodes[id].largestPayload = message.size }
        nodes[id].history.append(message, capacity: max(1, historyCapacity))
        var current = id
        while current >= 0 {
            nodes[current].subtreeCount += 1
            if time > nodes[current].lastTime { nodes[current].lastTime = time }
            current = nodes[current].parent
        }
        return id
    }

    /// The recent messages of a node, oldest first.
    public func history(of id: Int) -> [ReceivedMessage] {
        historyCapacity == 0 ? [] : nodes[id].history.messages(topic: nodes[id].topic)
    }

    /// Children in display order; `cache` keeps the name order per node between frames.
    func children(of id: Int, by order: TreeSortOrder, cache: RowCache) -> [Int] {
        let children = nodes[id].children
        let byName: [Int]
        if let cached = cache.sortedChildren[id], cached.count == children.count {
            // Children are never removed, so the same count means the same set.
            byName = cached
        } else {
            byName = children.values.sorted { NaturalOrder.less(nodes[$0].name, nodes[$1].name) }
            cache.sortedChildren[id] = byName
        }
        switch order {
        case .name:
            return byName
        case .recency:
            // Stable on names, so topics with the same time keep their alphabetical order.
            return byName.enumerated().sorted {
                let (a, b) = (nodes[$0.element].lastTime, nodes[$1.element].lastTime)
                return a != b ? a > b : $0.offset < $1.offset
            }.map(\.element)
        }
    }

    mutating func setExpanded(_ id: Int, _ expanded: Bool?) {
        nodes[id].expandedOverride = expanded
    }

    /// Every node below `id` (itself included) that holds a retained value.
    public func retainedTopics(under id: Int) -> [String] {
        var result: [String] = []
        var stack = [id]
        while let next = stack.popLast() {
            if nodes[next].retained { result.append(nodes[next].topic) }
            stack.append(contentsOf: nodes[next].children.values)
        }
        return result.sorted()
    }

    /// Walks the levels of a new topic, adding the missing ones. Levels are cut from the UTF-8 view
    /// without splitting into an array; short level names fit a small string and allocate nothing.
    private mutating func insert(_ topic: String) -> Int {
        var current = TopicTree.root
        let utf8 = topic.utf8
        var levelStart = utf8.startIndex
        var position = utf8.startIndex
        let isSystem = utf8.first == UInt8(ascii: "$")
        while true {
            let atEnd = position == utf8.endIndex
            if atEnd || utf8[position] == UInt8(ascii: "/") {
                let name = String(topic[levelStart..<position])
                if let child = nodes[current].children[name] {
                    current = child
                } else {
                    let depth = nodes[current].depth + 1
                    let id = nodes.count
                    let path = atEnd ? topic : String(topic[..<position])
                    nodes.append(TopicNode(name: name, topic: path, parent: current, depth: depth, isSystem: isSystem))
                    nodes[current].children[name] = id
                    if !isSystem {
                        if depth >= nodesPerDepth.count { nodesPerDepth.append(0) }
                        nodesPerDepth[depth] += 1
                    }
                    index[path] = id
                    structureVersion &+= 1
                    current = id
                }
                if atEnd { break }
                position = utf8.index(after: position)
                levelStart = position
            } else {
                position = utf8.index(after: position)
            }
        }
        return current
    }
}

public enum TreeSortOrder: String, Sendable, CaseIterable {
    case name, recency
}

