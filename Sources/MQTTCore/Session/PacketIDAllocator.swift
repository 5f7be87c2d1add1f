/// Hands out MQTT packet identifiers (1...65535) and remembers which are in flight.
///
/// Ids are given round-robin, starting after the last one handed out, so a freshly released
/// id is not reused at once: a late PUBACK for an old exchange then cannot be mistaken for
/// the new one. An id is never handed out while it is in use, and 0 is never used (the spec
/// forbids it).
///
/// The in-use set is a 65 536-bit bitset (8 KiB), allocated on first use so that sessions
/// that only do QoS 0 pay nothing. Finding a free id scans 64 ids per word, so even a
/// nearly full allocator answers in at most 1024 word reads.
public struct PacketIDAllocator: Sendable {
    private static let wordCount = 65_536 / 64

    /// Bit `n` is set when id `n` is in use. Empty until the first id is taken.
    private var words: [UInt64] = []
    /// The id handed out last; the search for the next one starts just after it.
    private var last: UInt16 = 0
    public private(set) var inUseCount = 0

    /// How many ids exist: 1...65535.
    public static let capacity = 65_535

    public init() {}

    /// The next free id, marked in use; `nil` when all 65 535 are in flight.
    public mutating func next() -> UInt16? {
        guard inUseCount < Self.capacity else { return nil }
        allocateIfNeeded()
        let start = Int(last) + 1  // may be 65536, which wraps to the beginning
        let found = firstFree(in: start..<65_536) ?? firstFree(in: 1..<start)
        guard let found else { return nil }  // unreachable while inUseCount is right
        let id = UInt16(found)
        set(id)
        last = id
        return id
    }

    /// Marks `id` free again. Releasing an id that is not in use (a duplicate or unknown ack)
    /// changes nothing and returns `false`.
    @discardableResult
    public mutating func release(_ id: UInt16) -> Bool {
        guard isInUse(id) else { return false }
        let index = Int(id)
        words[index >> 6] &= ~(1 << UInt64(index & 63))
        inUseCount -= 1
        return true
    }

    /// Marks an id in use without handing it out, for restoring a persisted session.
    ///
    /// - Returns: `false` for 0 or an id already in use.
    @discardableResult
    public mutating func markInUse(_ id: UInt16) -> Bool {
        guard id != 0, !isInUse(id) else { return false }
        allocateIfNeeded()
        set(id)
        return true
    }

    /// Whether `id` is currently in flight. Always `false` for 0.
    public func isInUse(_ id: UInt16) -> Bool {
        // Bit 0 is always set as a sentinel; it does not mean id 0 is in flight.
        guard id != 0, !words.isEmpty else { return false }
        let index = Int(id)
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    private mutating func allocateIfNeeded() {
        if words.isEmpty {
            words = Array(repeating: 0, count: Self.wordCount)
            words[0] = 1  // id 0 is reserved: pretend it is always taken
        }
    }

    private mutating func set(_ id: UInt16) {
        let index = Int(id)
        words[index >> 6] |= 1 << UInt64(index & 63)
        inUseCount += 1
    }

    /// The lowest clear bit in `range`, one 64-bit word at a time.
    private func firstFree(in range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var wordIndex = range.lowerBound >> 6
        // Ignore the bits below the start in the first word.
        var taken = words[wordIndex] | ((1 << UInt64(range.lowerBound & 63)) &- 1)
        while true {
            if taken != .max {
                let bit = wordIndex << 6 + (~taken).trailingZeroBitCount
                return bit < range.upperBound ? bit : nil
            }
            wordIndex += 1
            guard wordIndex << 6 < range.upperBound else { return nil }
            taken = words[wordIndex]
        }
    }
}
