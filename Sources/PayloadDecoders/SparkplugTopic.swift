/// A Sparkplug B topic: `spBv1.0/GROUP/TYPE/EDGE_NODE[/DEVICE]`, or `spBv1.0/STATE/HOST` for a host's state.
public struct SparkplugTopic: Equatable, Sendable {
    public var group: String
    /// NBIRTH, NDATA, NDEATH, NCMD, DBIRTH, DDATA, DDEATH, DCMD, or STATE.
    public var messageType: String
    public var edgeNode: String
    public var device: String?

    public init?(_ topic: String) {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.count >= 3, levels[0] == "spBv1.0" else { return nil }
        if levels[1] == "STATE" {
            self.init(group: "", messageType: "STATE", edgeNode: levels[2...].joined(separator: "/"), device: nil)
            return
        }
        guard levels.count == 4 || levels.count == 5 else { return nil }
        self.init(group: levels[1], messageType: levels[2], edgeNode: levels[3], device: levels.count == 5 ? levels[4] : nil)
    }

    public init(group: String, messageType: String, edgeNode: String, device: String?) {
        self.group = group
        self.messageType = messageType
        self.edgeNode = edgeNode
        self.device = device
    }

    public var isBirth: Bool { messageType == "NBIRTH" || messageType == "DBIRTH" }

    /// Aliases are unique within one edge node, its devices included (Sparkplug 3.0, section 6.4.5).
    var edgeNodeKey: String { group + "/" + edgeNode }
}

/// Metric names and datatypes by alias, learnt from the NBIRTH and DBIRTH messages of each edge node, so that a
/// later NDATA/DDATA that only carries aliases shows names. Bounded: the oldest edge node is forgotten first.
public struct SparkplugAliases: Sendable {
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var datatype: UInt32
    }

    public let maximumEdgeNodes: Int
    public let maximumAliasesPerNode: Int
    private var tables: [String: [UInt64: Entry]] = [:]
    /// Edge nodes in the order of their last birth, the oldest first.
    private var order: [String] = []

    public init(maximumEdgeNodes: Int = 1024, maximumAliasesPerNode: Int = 65_536) {
        self.maximumEdgeNodes = maximumEdgeNodes
        self.maximumAliasesPerNode = maximumAliasesPerNode
    }

    public var edgeNodeCount: Int { tables.count }

    public func entry(topic: SparkplugTopic, alias: UInt64) -> Entry? { tables[topic.edgeNodeKey]?[alias] }

    /// Records a birth's aliases. An NBIRTH starts the node's table anew (a new session); a DBIRTH adds to it.
    mutating func record(topic: SparkplugTopic, aliases: [(alias: UInt64, entry: Entry)]) {
        let key = topic.edgeNodeKey
        var table = topic.messageType == "NBIRTH" ? [:] : tables[key] ?? [:]
        for (alias, entry) in aliases where table.count < maximumAliasesPerNode || table[alias] != nil {
            table[alias] = entry
        }
        if let index = order.firstIndex(of: key) { order.remove(at: index) }
        order.append(key)
        tables[key] = table
        while order.count > maximumEdgeNodes { tables[order.removeFirst()] = nil }
    }
}
