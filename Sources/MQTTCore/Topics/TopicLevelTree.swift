/// The shape of a subscription trie without the subscriptions: one node per distinct filter
/// prefix, found by walking a topic level by level.
///
/// Kept free of generics so that the hot walk is compiled once, specialised, in this module;
/// `SubscriptionTrie` keeps the values in a side table indexed by node id.
///
/// Nodes live in one array and refer to each other by index. That gives the trie value
/// semantics for free (copy-on-write of a few arrays, no class graph to deep-copy) and keeps
/// the walk to array reads.
@usableFromInline
struct TopicLevelTree: Sendable {
    @usableFromInline
    typealias NodeID = Int32

    /// How a node hangs off its parent, so pruning can unlink it.
    enum Edge: Sendable {
        case root
        case literal(hash: UInt64)
        case singleLevel
        case multiLevel
    }

    /// A literal child level. Children are kept sorted by `hash` so that a node with
    /// thousands of children (`devices/<id>/...`) is a binary search over a dense array.
    struct Child: Sendable {
        var hash: UInt64
        var label: [UInt8]
        var node: NodeID
    }

    struct Node: Sendable {
        var children: [Child] = []
        var singleLevelChild: NodeID = -1
        var multiLevelChild: NodeID = -1
        var parent: NodeID
        var edge: Edge
        /// Set by the owner while at least one subscription is stored at this node.
        var isOccupied = false
        /// Whether the slot is on the free list.
        var isFree = false

        var isPrunable: Bool {
            !isOccupied && children.isEmpty && singleLevelChild < 0 && multiLevelChild < 0
        }
    }

    private(set) var nodes: [Node] = [Node(parent: -1, edge: .root)]
    private var freeList: [NodeID] = []

    @usableFromInline
    static let root: NodeID = 0

    @usableFromInline
    init() {}

    /// How many slots the node array has (live or free); owners size side tables by this.
    @usableFromInline
    var capacity: Int { nodes.count }

    /// How many of those slots wait on the free list.
    var freeCount: Int { freeList.count }

    // MARK: Building

    /// The node for a validated filter (without any `$share/group/` prefix), created if needed.
    @usableFromInline
    mutating func findOrCreate(filter: Substring) -> NodeID {
        var current = Self.root
        for level in filter.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            current = findOrCreateChild(of: current, level: level)
        }
        return current
    }

    /// The node for a filter if it exists.
    @usableFromInline
    func find(filter: Substring) -> NodeID? {
        var current = Self.root
        for level in filter.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            let node = nodes[Int(current)]
            if level.count == 1, level.first == UInt8(ascii: "+") {
                current = node.singleLevelChild
            } else if level.count == 1, level.first == UInt8(ascii: "#") {
                current = node.multiLevelChild
            } else {
                let hash = Self.hash(level)
                let found = level.withContiguousStorageIfAvailable { Self.lookup(node.children, hash: hash, bytes: $0) }
                    ?? Self.lookup(node.children, hash: hash, bytes: Array(level))
                guard let found else { return nil }
                current = found
            }
            if current < 0 { return nil }
        }
        return current
    }

    @usableFromInline
    mutating func setOccupied(_ id: NodeID, _ occupied: Bool) {
        nodes[Int(id)].isOccupied = occupied
    }

    /// Unlinks `id` and its ancestors for as long as they hold nothing.
    @usableFromInline
    mutating func prune(from id: NodeID) {
        var current = id
        while current != Self.root, nodes[Int(current)].isPrunable {
            let node = nodes[Int(current)]
            let parent = Int(node.parent)
            switch node.edge {
            case .root:
                return
            case .singleLevel:
                nodes[parent].singleLevelChild = -1
            case .multiLevel:
                nodes[parent].multiLevelChild = -1
            case .literal(let hash):
                if let position = nodes[parent].children.firstIndex(where: { $0.hash == hash && $0.node == current }) {
                    nodes[parent].children.remove(at: position)
                }
            }
            nodes[Int(current)] = Node(parent: -1, edge: .root, isFree: true)
            freeList.append(current)
            current = node.parent
        }
    }

    /// Every node that is not free, for bulk operations.
    @usableFromInline
    func forEachLiveNode(_ body: (NodeID) throws -> Void) rethrows {
        for index in nodes.indices where !nodes[index].isFree {
            try body(NodeID(index))
        }
    }

    private mutating func findOrCreateChild(of parent: NodeID, level: Substring.UTF8View) -> NodeID {
        if level.count == 1, level.first == UInt8(ascii: "+") {
            let existing = nodes[Int(parent)].singleLevelChild
            if existing >= 0 { return existing }
            let created = allocate(parent: parent, edge: .singleLevel)
            nodes[Int(parent)].singleLevelChild = created
            return created
        }
        if level.count == 1, level.first == UInt8(ascii: "#") {
            let existing = nodes[Int(parent)].multiLevelChild
            if existing >= 0 { return existing }
            let created = allocate(parent: parent, edge: .multiLevel)
            nodes[Int(parent)].multiLevelChild = created
            return created
        }
        let label = Array(level)
        let hash = Self.hash(level)
        if let existing = label.withUnsafeBufferPointer({ Self.lookup(nodes[Int(parent)].children, hash: hash, bytes: $0) }) {
            return existing
        }
        let created = allocate(parent: parent, edge: .literal(hash: hash))
        let children = nodes[Int(parent)].children
        let position = Self.lowerBound(children, hash: hash)
        nodes[Int(parent)].children.insert(Child(hash: hash, label: label, node: created), at: position)
        return created
    }

    private mutating func allocate(parent: NodeID, edge: Edge) -> NodeID {
        let node = Node(parent: parent, edge: edge)
        if let reused = freeList.popLast() {
            nodes[Int(reused)] = node
            return reused
        }
        nodes.append(node)
        return NodeID(nodes.count - 1)
    }

    // MARK: Matching

    /// One level of the topic being matched: a byte range and its hash, computed once.
    private struct Level {
        var start: Int
        var end: Int
        var hash: UInt64
    }

    /// Calls `body` with every occupied node whose filter matches `topic`, once per node.
    ///
    /// The topic is split once into a stack-allocated table of levels, and the walk uses an
    /// explicit stack (also stack-allocated) instead of recursion, so a topic with thousands
    /// of levels cannot overflow the thread's stack. Nothing is allocated on the heap for
    /// native strings. `topic` is expected to be a valid topic name; no validation here.
    @usableFromInline
    func forEachMatchingNode(topic: String, _ body: (NodeID) throws -> Void) rethrows {
        var topic = topic
        try topic.withUTF8 { bytes in
            var levelCount = 1
            for byte in bytes where byte == UInt8(ascii: "/") { levelCount += 1 }
            try withUnsafeTemporaryAllocation(of: Level.self, capacity: levelCount) { levels in
                Self.splitLevels(bytes, into: levels)
                // The stack never holds more than one pending node per level plus two at the
                // deepest one (see the walk below), so levelCount + 2 is enough.
                try withUnsafeTemporaryAllocation(of: (node: NodeID, depth: Int32).self, capacity: levelCount + 2) { stack in
                    try nodes.withUnsafeBufferPointer { nodes in
                        try Self.walk(nodes: nodes, bytes: bytes, levels: levels, stack: stack, body)
                    }
                }
            }
        }
    }

    private static func splitLevels(_ bytes: UnsafeBufferPointer<UInt8>, into levels: UnsafeMutableBufferPointer<Level>) {
        var levelIndex = 0
        var start = 0
        var hash = fnvOffset
        for position in 0..<bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "/") {
                levels.initializeElement(at: levelIndex, to: Level(start: start, end: position, hash: hash))
                levelIndex += 1
                start = position + 1
                hash = fnvOffset
            } else {
                hash = (hash ^ UInt64(byte)) &* fnvPrime
            }
        }
        levels.initializeElement(at: levelIndex, to: Level(start: start, end: bytes.count, hash: hash))
    }

    private static func walk(
        nodes: UnsafeBufferPointer<Node>,
        bytes: UnsafeBufferPointer<UInt8>,
        levels: UnsafeMutableBufferPointer<Level>,
        stack: UnsafeMutableBufferPointer<(node: NodeID, depth: Int32)>,
        _ body: (NodeID) throws -> Void
    ) rethrows {
        let levelCount = Int32(levels.count)
        // Section 4.7.2: a leading wildcard never matches a topic starting with '$'.
        let isDollarTopic = bytes.first == UInt8(ascii: "$")
        var top = 0
        stack.initializeElement(at: 0, to: (node: root, depth: 0))
        top = 1
        // Depth-first; every pop pushes at most two nodes one level deeper, and pushes happen
        // only while the popped node was the deepest entry, so each depth holds at most one
        // pending sibling except the deepest, which holds two.
        while top > 0 {
            top -= 1
            let (id, depth) = stack[top]
            let wildcardsAllowed = depth > 0 || !isDollarTopic

            let multi = nodes[Int(id)].multiLevelChild
            if multi >= 0, wildcardsAllowed, nodes[Int(multi)].isOccupied {
                // "a/#" matches "a/b/c" and also "a" itself (the parent level).
                try body(multi)
            }
            if depth == levelCount {
                if nodes[Int(id)].isOccupied { try body(id) }
                continue
            }
            let single = nodes[Int(id)].singleLevelChild
            if single >= 0, wildcardsAllowed {
                stack[top] = (node: single, depth: depth + 1)
                top += 1
            }
            let level = levels[Int(depth)]
            let levelBytes = UnsafeBufferPointer(rebasing: bytes[level.start..<level.end])
            if let literal = lookup(nodes[Int(id)].children, hash: level.hash, bytes: levelBytes) {
                stack[top] = (node: literal, depth: depth + 1)
                top += 1
            }
        }
    }

    // MARK: Level lookup

    private static func lookup(_ children: [Child], hash: UInt64, bytes: UnsafeBufferPointer<UInt8>) -> NodeID? {
        if children.isEmpty { return nil }
        return children.withUnsafeBufferPointer { children in
            var index = lowerBound(children, hash: hash)
            // Equal hashes are adjacent; a 64-bit collision between real levels is rare but
            // must not merge two different levels, so compare the bytes too.
            while index < children.count, children[index].hash == hash {
                if children[index].label.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) {
                    return children[index].node
                }
                index += 1
            }
            return nil
        }
    }

    private static func lookup(_ children: [Child], hash: UInt64, bytes: [UInt8]) -> NodeID? {
        bytes.withUnsafeBufferPointer { lookup(children, hash: hash, bytes: $0) }
    }

    private static func lowerBound<C: RandomAccessCollection>(_ children: C, hash: UInt64) -> C.Index
    where C.Element == Child {
        var low = children.startIndex
        var high = children.endIndex
        while low < high {
            let middle = children.index(low, offsetBy: children.distance(from: low, to: high) / 2)
            if children[middle].hash < hash {
                low = children.index(after: middle)
            } else {
                high = middle
            }
        }
        return low
    }

    // FNV-1a: a few cycles per byte, and levels are short. It is not keyed, so someone who
    // controls both filters and topics could pile levels onto one hash; that costs them a
    // linear scan of their own colliding children, never a wrong match.
    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = fnvOffset
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }
}
