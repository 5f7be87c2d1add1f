/// The shape of a subscription trie without the subscriptions: one node per distinct filter
/// prefix, found by walking a topic level by level.
///
/// Kept free of generics so that the hot walk is compiled once, specialised, in this module;
/// `SubscriptionTrie` keeps the values in a side table indexed by node id.
///
/// Nodes live in one array and refer to each other by index. That gives the trie value
/// semantics for free (copy-on-write of two arrays, no class graph to deep-copy) and keeps
/// the walk to array reads.
///
/// Literal edges ("the child of node 7 labelled `kitchen`") are not stored in the nodes but
/// in one open-addressing hash table keyed by (parent, level hash). A step down the tree is
/// then one probe into that table plus the read of the child node, which the walk needs
/// anyway, whether the parent has two children or ten thousand. Per-node sorted child
/// arrays, tried first, cost a binary search of cache misses per level and missed the
/// 2 million topics per second target.
@usableFromInline
struct TopicLevelTree: Sendable {
    @usableFromInline
    typealias NodeID = Int32

    /// How a node hangs off its parent, so pruning can unlink it.
    enum Edge: UInt8, Sendable {
        case root
        case literal
        case singleLevel
        case multiLevel
    }

    struct Node: Sendable {
        /// The level this node stands for, when `edge == .literal`. Levels of up to 15 bytes
        /// are stored inside the String itself, so comparing them touches no other memory.
        var label: String = ""
        var labelHash: UInt64 = 0
        var parent: NodeID = -1
        var singleLevelChild: NodeID = -1
        var multiLevelChild: NodeID = -1
        var literalChildCount: Int32 = 0
        var edge: Edge = .root
        /// Set by the owner while at least one subscription is stored at this node.
        var isOccupied = false
        /// Whether the slot is on the free list.
        var isFree = false

        var isPrunable: Bool {
            !isOccupied && literalChildCount == 0 && singleLevelChild < 0 && multiLevelChild < 0
        }
    }

    /// One slot of the literal-edge table; `child < 0` marks an empty slot.
    struct EdgeSlot: Sendable {
        var hash: UInt64 = 0
        var parent: NodeID = -1
        var child: NodeID = -1
    }

    private(set) var nodes: [Node] = [Node()]
    private var freeList: [NodeID] = []
    /// Linear probing, power-of-two size, at most half full.
    private var edges = [EdgeSlot](repeating: EdgeSlot(), count: 16)
    private var edgeCount = 0

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
            let next: NodeID?
            switch Self.wildcard(level) {
            case .singleLevel:
                next = nodes[Int(current)].singleLevelChild
            case .multiLevel:
                next = nodes[Int(current)].multiLevelChild
            default:
                next = literalChild(of: current, level: level)
            }
            guard let next, next >= 0 else { return nil }
            current = next
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
            case .literal:
                removeEdge(parent: node.parent, hash: node.labelHash, child: current)
                nodes[parent].literalChildCount -= 1
            }
            nodes[Int(current)] = Node(isFree: true)
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

    private static func wildcard(_ level: Substring.UTF8View) -> Edge {
        guard level.count == 1 else { return .literal }
        switch level.first {
        case UInt8(ascii: "+"): return .singleLevel
        case UInt8(ascii: "#"): return .multiLevel
        default: return .literal
        }
    }

    private func literalChild(of parent: NodeID, level: Substring.UTF8View) -> NodeID? {
        let hash = Self.hash(level)
        let bytes = Array(level)
        return bytes.withUnsafeBufferPointer { bytes in
            nodes.withUnsafeBufferPointer { nodes in
                edges.withUnsafeBufferPointer { edges in
                    Self.lookup(parent: parent, hash: hash, bytes: bytes, nodes: nodes, edges: edges)
                }
            }
        }
    }

    private mutating func findOrCreateChild(of parent: NodeID, level: Substring.UTF8View) -> NodeID {
        switch Self.wildcard(level) {
        case .singleLevel: return findOrCreateWildcardChild(of: parent, \.singleLevelChild, edge: .singleLevel)
        case .multiLevel: return findOrCreateWildcardChild(of: parent, \.multiLevelChild, edge: .multiLevel)
        case .root, .literal:
            if let existing = literalChild(of: parent, level: level) { return existing }
            let hash = Self.hash(level)
            let created = allocate(Node(label: String(Substring(level)), labelHash: hash, parent: parent, edge: .literal))
            insertEdge(EdgeSlot(hash: hash, parent: parent, child: created))
            nodes[Int(parent)].literalChildCount += 1
            return created
        }
    }

    /// A `+` or `#` child sits in its own slot of the parent (subscribing only; matching reads the slots directly).
    private mutating func findOrCreateWildcardChild(of parent: NodeID, _ slot: WritableKeyPath<Node, NodeID>, edge: Edge) -> NodeID {
        let existing = nodes[Int(parent)][keyPath: slot]
        if existing >= 0 { return existing }
        let created = allocate(Node(parent: parent, edge: edge))
        nodes[Int(parent)][keyPath: slot] = created
        return created
    }

    private mutating func allocate(_ node: Node) -> NodeID {
        if let reused = freeList.popLast() {
            nodes[Int(reused)] = node
            return reused
        }
        nodes.append(node)
        return NodeID(nodes.count - 1)
    }

    // MARK: Edge table

    /// Where the probe for (parent, level hash) starts. FNV's low bits alone are weak and the
    /// parent id must change the position, hence the final mix.
    private static func home(hash: UInt64, parent: NodeID, mask: Int) -> Int {
        var mixed = hash ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9e37_79b9_7f4a_7c15)
        mixed ^= mixed >> 31
        mixed &*= 0xbf58_476d_1ce4_e5b9
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed) & mask
    }

    private mutating func insertEdge(_ slot: EdgeSlot) {
        if (edgeCount + 1) * 2 > edges.count {
            let old = edges
            edges = [EdgeSlot](repeating: EdgeSlot(), count: old.count * 2)
            for entry in old where entry.child >= 0 { place(entry) }
        }
        place(slot)
        edgeCount += 1
    }

    private mutating func place(_ slot: EdgeSlot) {
        let mask = edges.count - 1
        var index = Self.home(hash: slot.hash, parent: slot.parent, mask: mask)
        while edges[index].child >= 0 { index = (index + 1) & mask }
        edges[index] = slot
    }

    /// Deletes by shifting later entries of the probe run back, so lookups never need
    /// tombstones and the table does not silt up under subscribe/unsubscribe churn.
    private mutating func removeEdge(parent: NodeID, hash: UInt64, child: NodeID) {
        let mask = edges.count - 1
        var hole = Self.home(hash: hash, parent: parent, mask: mask)
        while edges[hole].child != child {
            guard edges[hole].child >= 0 else { return }  // not present; cannot happen
            hole = (hole + 1) & mask
        }
        var next = hole
        while true {
            next = (next + 1) & mask
            let entry = edges[next]
            if entry.child < 0 { break }
            let entryHome = Self.home(hash: entry.hash, parent: entry.parent, mask: mask)
            // The entry may fill the hole if the hole lies between its home and where it sits.
            if (next - entryHome) & mask >= (next - hole) & mask {
                edges[hole] = entry
                hole = next
            }
        }
        edges[hole] = EdgeSlot()
        edgeCount -= 1
    }

    private static func lookup(
        parent: NodeID,
        hash: UInt64,
        bytes: UnsafeBufferPointer<UInt8>,
        nodes: UnsafeBufferPointer<Node>,
        edges: UnsafeBufferPointer<EdgeSlot>
    ) -> NodeID? {
        let mask = edges.count - 1
        var index = home(hash: hash, parent: parent, mask: mask)
        while true {
            let slot = edges[index]
            if slot.child < 0 { return nil }
            // Equal 64-bit hashes of different levels are rare but possible: compare the bytes.
            if slot.hash == hash, slot.parent == parent, labelEquals(nodes[Int(slot.child)].label, bytes) {
                return slot.child
            }
            index = (index + 1) & mask
        }
    }

    private static func labelEquals(_ label: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let utf8 = label.utf8
        guard utf8.count == bytes.count else { return false }
        // Small labels are copied to the stack here, long ones are lent in place.
        return utf8.withContiguousStorageIfAvailable { bytesEqual($0, bytes) } ?? utf8.elementsEqual(bytes)
    }

    /// Equal-length byte comparison, eight bytes at a time.
    @inline(__always)
    private static func bytesEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = lhs.count
        guard count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        let leftRaw = UnsafeRawPointer(left)
        let rightRaw = UnsafeRawPointer(right)
        var offset = 0
        while count - offset >= 8 {
            if leftRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != rightRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset += 8
        }
        while offset < count {
            if left[offset] != right[offset] { return false }
            offset += 1
        }
        return true
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
        // Native strings (all of them on Linux) lend their bytes without a copy.
        if try topic.utf8.withContiguousStorageIfAvailable({ try match(bytes: $0, body) }) == nil {
            var copy = topic
            try copy.withUTF8 { try match(bytes: $0, body) }
        }
    }

    private func match(bytes: UnsafeBufferPointer<UInt8>, _ body: (NodeID) throws -> Void) rethrows {
        var levelCount = 1
        for byte in bytes where byte == UInt8(ascii: "/") { levelCount += 1 }
        try withUnsafeTemporaryAllocation(of: Level.self, capacity: levelCount) { levels in
            Self.splitLevels(bytes, into: levels)
            // The stack never holds more than one pending node per level plus two at the
            // deepest one (see the walk below), so levelCount + 2 is enough.
            try withUnsafeTemporaryAllocation(of: (node: NodeID, depth: Int32).self, capacity: levelCount + 2) { stack in
                try nodes.withUnsafeBufferPointer { nodes in
                    try edges.withUnsafeBufferPointer { edges in
                        try Self.walk(nodes: nodes, edges: edges, bytes: bytes, levels: levels, stack: stack, body)
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
        edges: UnsafeBufferPointer<EdgeSlot>,
        bytes: UnsafeBufferPointer<UInt8>,
        levels: UnsafeMutableBufferPointer<Level>,
        stack: UnsafeMutableBufferPointer<(node: NodeID, depth: Int32)>,
        _ body: (NodeID) throws -> Void
    ) rethrows {
        let levelCount = Int32(levels.count)
        // Section 4.7.2: a leading wildcard never matches a topic starting with '$'.
        let isDollarTopic = bytes.first == UInt8(ascii: "$")
        stack.initializeElement(at: 0, to: (node: root, depth: 0))
        var top = 1
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
            if nodes[Int(id)].literalChildCount > 0 {
                let level = levels[Int(depth)]
                let levelBytes = UnsafeBufferPointer(rebasing: bytes[level.start..<level.end])
                if let literal = lookup(parent: id, hash: level.hash, bytes: levelBytes, nodes: nodes, edges: edges) {
                    stack[top] = (node: literal, depth: depth + 1)
                    top += 1
                }
            }
        }
    }

    // FNV-1a: a few cycles per byte, and levels are short. It is not keyed, so someone who
    // controls both filters and topics could pile levels onto one hash; that costs them
    // longer probes among their own colliding edges, never a wrong match.
    private static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = fnvOffset
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* fnvPrime }
        return hash
    }
}
