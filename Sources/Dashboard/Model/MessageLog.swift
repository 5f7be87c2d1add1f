import MQTTCore

/// The message log: a bounded ring that follows the newest entry until the user scrolls, then
/// holds still and counts what arrived since. Entries are addressed by sequence number (0 for the
/// first message ever), so a held view stays put while the ring moves under it.
public struct MessageLog: Sendable {
    public let capacity: Int
    private var ring: [ReceivedMessage] = []
    /// Messages appended so far; the next one gets this sequence number.
    public private(set) var total = 0
    /// An MQTT topic filter; only matching entries are shown.
    public private(set) var filter: String?
    /// Sequence numbers of matching entries, ascending, from `matchesStart` on (only with a filter).
    private var matches: [Int] = []
    private var matchesStart = 0
    /// The newest entry shown while held; nil while following.
    public private(set) var heldBottom: Int?
    /// `total` when the hold began, to count arrivals since.
    private var heldAtTotal = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        ring.reserveCapacity(min(self.capacity, 1 << 16))
    }

    public var isFollowing: Bool { heldBottom == nil }
    public var oldest: Int { max(0, total - capacity) }
    public var count: Int { total - oldest }

    public func entry(_ sequence: Int) -> ReceivedMessage { ring[sequence % capacity] }

    public mutating func append(_ message: ReceivedMessage) {
        if ring.count < capacity {
            ring.append(message)
        } else {
            ring[total % capacity] = message
        }
        if let filter, Topic.matches(filter: filter, topic: message.topic) {
            matches.append(total)
        }
        total += 1
        trimMatches()
    }

    /// Entries that arrived while held (matching the filter, when there is one).
    public var newSinceHold: Int {
        guard heldBottom != nil else { return 0 }
        guard filter != nil else { return total - heldAtTotal }
        return visible.count - (firstVisible(atOrAfter: heldAtTotal) ?? visible.count)
    }

    /// Sets or clears the filter; the view goes back to following.
    public mutating func setFilter(_ newFilter: String?) {
        filter = newFilter.flatMap { $0.isEmpty ? nil : $0 }
        matches = []
        matchesStart = 0
        if let filter {
            for sequence in oldest..<total where Topic.matches(filter: filter, topic: entry(sequence).topic) {
                matches.append(sequence)
            }
        }
        follow()
    }

    /// Sequence numbers of the `rows` entries on screen, oldest first.
    public func window(rows: Int) -> [Int] {
        let list = visible
        guard rows > 0, !list.isEmpty else { return [] }
        let bottom = heldBottom.map { min(lastVisible(atOrBefore: $0) ?? (rows - 1), list.count - 1) } ?? (list.count - 1)
        let end = max(bottom, min(rows - 1, list.count - 1))
        let start = max(0, end - rows + 1)
        return (start...end).map { list[$0] }
    }

    /// Scrolls towards older entries (negative) or newer ones (positive); reaching the newest follows again.
    public mutating func scroll(by delta: Int, rows: Int) {
        let list = visible
        guard !list.isEmpty else { return }
        let current = heldBottom.flatMap { lastVisible(atOrBefore: $0) } ?? (list.count - 1)
        // Holding only makes sense once the screen is full; above that the bottom cannot go.
        let target = max(min(rows, list.count) - 1, min(list.count - 1, current + delta))
        if target >= list.count - 1 {
            follow()
        } else {
            if heldBottom == nil { heldAtTotal = total }
            heldBottom = list[target]
        }
    }

    /// Holds at the oldest screenful.
    public mutating func scrollToOldest(rows: Int) {
        scroll(by: -(total + 1), rows: rows)
    }

    public mutating func follow() {
        heldBottom = nil
    }

    /// The entries that can be shown, as a random-access list of sequence numbers.
    private var visible: VisibleSequences {
        if filter == nil { return .all(oldest..<total) }
        let first = firstMatch(atOrAfter: oldest)
        return .matching(matches[first...])
    }

    private func lastVisible(atOrBefore sequence: Int) -> Int? {
        let list = visible
        var (low, high) = (0, list.count)  // first index with value > sequence
        while low < high {
            let mid = (low + high) / 2
            if list[mid] <= sequence { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    private func firstVisible(atOrAfter sequence: Int) -> Int? {
        let list = visible
        let index = (lastVisible(atOrBefore: sequence - 1) ?? -1) + 1
        return index < list.count ? index : nil
    }

    private func firstMatch(atOrAfter sequence: Int) -> Int {
        var (low, high) = (matchesStart, matches.count)
        while low < high {
            let mid = (low + high) / 2
            if matches[mid] < sequence { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Drops match entries that fell out of the ring, in batches so the array is not shifted per message.
    private mutating func trimMatches() {
        guard matches.count > 2 * capacity + 1024 else { return }
        let first = firstMatch(atOrAfter: oldest)
        matches.removeFirst(first)
        matchesStart = 0
    }
}

/// Either every sequence number in a range or the matching ones; indexed from 0.
private enum VisibleSequences {
    case all(Range<Int>)
    case matching(ArraySlice<Int>)

    var count: Int {
        switch self {
        case .all(let range): range.count
        case .matching(let slice): slice.count
        }
    }

    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> Int {
        switch self {
        case .all(let range): range.lowerBound + index
        case .matching(let slice): slice[slice.startIndex + index]
        }
    }
}
