/// Messages per second over the last few whole seconds, from one counter per second in a small ring.
public struct MessageRate: Sendable {
    /// Seconds averaged over.
    public static let window = 5
    private static let slots = 8
    private var counts = [Int](repeating: 0, count: slots)
    private var seconds = [Int](repeating: Int.min, count: slots)

    public init() {}

    public mutating func record(at time: Double) {
        let second = Int(time.rounded(.down))
        let slot = second & (Self.slots - 1)
        if seconds[slot] != second {
            seconds[slot] = second
            counts[slot] = 0
        }
        counts[slot] += 1
    }

    /// The average over the `window` whole seconds before `now` (the current second is still filling).
    public func perSecond(now: Double) -> Double {
        let current = Int(now.rounded(.down))
        var sum = 0
        for second in (current - Self.window)..<current where seconds[second & (Self.slots - 1)] == second {
            sum += counts[second & (Self.slots - 1)]
        }
        return Double(sum) / Double(Self.window)
    }
}
