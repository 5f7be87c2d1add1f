/// Subscriptions indexed by topic filter, answering "who gets a message published on this topic".
///
/// Each subscription is identified by its `Key` (for a broker: the client id) together with
/// its share group, so inserting the same key on the same filter replaces the old entry,
/// as SUBSCRIBE must (MQTT 5.0 3.8.4), while a client subscribed both to `a/b` and to
/// `$share/g/a/b` holds two independent subscriptions. `Value` carries whatever the caller
/// needs per subscription (QoS, options, subscription identifier, ...).
///
/// Shared subscriptions are stored under their underlying filter and reported with their
/// group name; choosing one member per group is the caller's job. A key subscribed through
/// several overlapping filters (`a/+` and `a/#`) is reported once per subscription, also
/// left to the caller to merge (MQTT 5.0 3.3.4 allows either).
///
/// The matching walk is in `TopicLevelTree`; this type adds the per-node entries.
public struct SubscriptionTrie<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// One subscription reported by a match.
    public struct Match: Sendable {
        public internal(set) var key: Key
        /// The share name for `$share/<group>/...` subscriptions, `nil` for ordinary ones.
        public internal(set) var shareGroup: String?
        public internal(set) var value: Value

        init(key: Key, shareGroup: String?, value: Value) {
            self.key = key
            self.shareGroup = shareGroup
            self.value = value
        }
    }

    /// What identifies a subscription within one filter.
    @usableFromInline
    struct EntryID: Hashable, Sendable {
        @usableFromInline var key: Key
        @usableFromInline var shareGroup: String?

        @inlinable
        init(key: Key, shareGroup: String?) {
            self.key = key
            self.shareGroup = shareGroup
        }
    }

    /// The subscriptions stored at one node: a dense array for the match loop and an index
    /// from identity to position so that replacing or removing is O(1).
    @usableFromInline
    struct Slot: Sendable {
        @usableFromInline var entries: [Match] = []
        @usableFromInline var positions: [EntryID: Int] = [:]

        @inlinable
        init() {}
    }

    @usableFromInline var tree = TopicLevelTree()
    /// Indexed by node id; always at least as long as the tree's node array.
    @usableFromInline var slots: [Slot] = [Slot()]
    @usableFromInline var entryCount = 0

    public init() {}

    /// The number of subscriptions stored.
    @inlinable
    public var count: Int { entryCount }

    @inlinable
    public var isEmpty: Bool { entryCount == 0 }

    /// Adds a subscription or replaces the one with the same key and share group.
    ///
    /// - Returns: the value replaced, if any.
    /// - Throws: when `filter` is not a valid topic filter (see `Topic.validateFilter`).
    @discardableResult
    public mutating func insert(filter: String, key: Key, value: Value) throws(TopicValidationError) -> Value? {
        let (group, underlying) = try Self.parse(filter)
        let node = tree.findOrCreate(filter: underlying)
        if slots.count < tree.capacity {
            slots.append(contentsOf: repeatElement(Slot(), count: tree.capacity - slots.count))
        }
        let id = EntryID(key: key, shareGroup: group)
        let index = Int(node)
        if let position = slots[index].positions[id] {
            let old = slots[index].entries[position].value
            slots[index].entries[position].value = value
            return old
        }
        slots[index].positions[id] = slots[index].entries.count
        slots[index].entries.append(Match(key: key, shareGroup: group, value: value))
        tree.setOccupied(node, true)
        entryCount += 1
        return nil
    }

    /// Removes the subscription of `key` on `filter` (with its `$share/group/` prefix if it
    /// was shared).
    ///
    /// - Returns: the value removed, or `nil` when there was no such subscription (including
    ///   when `filter` is invalid, since nothing invalid can have been inserted).
    @discardableResult
    public mutating func remove(filter: String, key: Key) -> Value? {
        guard let (group, underlying) = try? Self.parse(filter),
              let node = tree.find(filter: underlying)
        else { return nil }
        let index = Int(node)
        guard let position = slots[index].positions.removeValue(forKey: EntryID(key: key, shareGroup: group)) else {
            return nil
        }
        // Swap-remove keeps removal O(1); match order is unspecified anyway.
        slots[index].entries.swapAt(position, slots[index].entries.count - 1)
        let removed = slots[index].entries.removeLast()
        if position < slots[index].entries.count {
            let moved = slots[index].entries[position]
            slots[index].positions[EntryID(key: moved.key, shareGroup: moved.shareGroup)] = position
        }
        entryCount -= 1
        if slots[index].entries.isEmpty {
            slots[index] = Slot()  // drop the buffers, not just the elements
            tree.setOccupied(node, false)
            tree.prune(from: node)
        }
        return removed.value
    }

    /// The value stored for `key` on `filter`, if subscribed.
    public func value(filter: String, key: Key) -> Value? {
        guard let (group, underlying) = try? Self.parse(filter),
              let node = tree.find(filter: underlying),
              let position = slots[Int(node)].positions[EntryID(key: key, shareGroup: group)]
        else { return nil }
        return slots[Int(node)].entries[position].value
    }

    /// Removes every subscription for which `shouldRemove` is true, e.g. all of one client's
    /// when its session ends. Visits every stored subscription once.
    ///
    /// - Returns: how many were removed.
    @discardableResult
    public mutating func removeAll(where shouldRemove: (Match) throws -> Bool) rethrows -> Int {
        var emptied: [TopicLevelTree.NodeID] = []
        var removedCount = 0
        var liveNodes: [TopicLevelTree.NodeID] = []
        tree.forEachLiveNode { liveNodes.append($0) }
        for node in liveNodes {
            let index = Int(node)
            if slots[index].entries.isEmpty { continue }
            let before = slots[index].entries.count
            try slots[index].entries.removeAll(where: shouldRemove)
            let after = slots[index].entries.count
            guard after != before else { continue }
            removedCount += before - after
            if after == 0 {
                slots[index] = Slot()
                tree.setOccupied(node, false)
                emptied.append(node)
            } else {
                var positions: [EntryID: Int] = [:]
                positions.reserveCapacity(after)
                for (position, entry) in slots[index].entries.enumerated() {
                    positions[EntryID(key: entry.key, shareGroup: entry.shareGroup)] = position
                }
                slots[index].positions = positions
            }
        }
        for node in emptied {
            tree.prune(from: node)
        }
        entryCount -= removedCount
        return removedCount
    }

    /// Calls `body` with every subscription whose filter matches `topic`, without allocating.
    ///
    /// `topic` must be a valid topic name (validated where it entered the process). Topics
    /// starting with `$` are not matched by filters starting with `+` or `#`. The order of
    /// the calls is unspecified.
    @inlinable
    public func forEachMatch(topic: String, _ body: (Match) throws -> Void) rethrows {
        try slots.withUnsafeBufferPointer { slots in
            try tree.forEachMatchingNode(topic: topic) { node in
                for entry in slots[Int(node)].entries {
                    try body(entry)
                }
            }
        }
    }

    /// Every subscription whose filter matches `topic`; see `forEachMatch(topic:_:)`.
    @inlinable
    public func matches(topic: String) -> [Match] {
        var result: [Match] = []
        forEachMatch(topic: topic) { result.append($0) }
        return result
    }

    /// Splits a validated filter into its share group and the filter the tree is keyed by.
    @usableFromInline
    static func parse(_ filter: String) throws(TopicValidationError) -> (group: String?, underlying: Substring) {
        try Topic.validateFilter(filter)
        if let parts = SharedSubscription.split(filter), let group = parts.group, let inner = parts.filter {
            return (String(group), inner)
        }
        return (nil, filter[...])
    }
}
