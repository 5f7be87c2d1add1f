/// The sequence numbers seen from one publisher, to count repeats. Everything below `contiguous`
/// has been seen; numbers above it wait in `ahead` until the gap closes, so memory stays small
/// while messages arrive in order (MQTT keeps the order per topic).
struct SequenceTracker {
    private(set) var contiguous: UInt64 = 0
    private var ahead: Set<UInt64> = []

    /// Notes `sequence`; false when it had been seen before.
    mutating func insert(_ sequence: UInt64) -> Bool {
        if sequence < contiguous { return false }
        if sequence == contiguous {
            contiguous += 1
            while !ahead.isEmpty, ahead.remove(contiguous) != nil { contiguous += 1 }
            return true
        }
        return ahead.insert(sequence).inserted
    }
}
