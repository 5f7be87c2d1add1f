/// A tile's values over the four plot windows in fixed memory: each window keeps `bucketCount`
/// buckets with the minimum, maximum and last value that fell in them, so a spike stays visible in a
/// 24-hour plot that has 2 minutes per bucket.
public struct TileSeries: Sendable {
    /// Plot windows in seconds, as `+`/`-` step through them: 1m, 10m, 1h, 24h.
    public static let windows: [Double] = [60, 600, 3600, 86_400]
    public static let bucketCount = 60

    private var rings: [BucketRing]

    public init() {
        rings = Self.windows.map { BucketRing(width: $0 / Double(Self.bucketCount)) }
    }

    public mutating func record(_ value: Double, at time: Double) {
        guard value.isFinite, time.isFinite else { return }
        for index in rings.indices { rings[index].record(value, at: time) }
    }

    /// The buckets of window `window` (an index into `windows`) that end after `now - window`, oldest first.
    public func buckets(window: Int, now: Double) -> [ValueBucket] {
        rings[min(max(0, window), rings.count - 1)].buckets(now: now)
    }

    /// Points to plot: each bucket's minimum and maximum, in time order, so spikes keep their height.
    public func points(window: Int, now: Double) -> [PlotPoint] {
        let buckets = buckets(window: window, now: now)
        guard let width = buckets.first.map({ _ in rings[min(max(0, window), rings.count - 1)].width }) else { return [] }
        return buckets.flatMap { bucket -> [PlotPoint] in
            let start = Double(bucket.index) * width
            if bucket.low == bucket.high { return [PlotPoint(time: start + width / 2, value: bucket.last)] }
            // The extreme that came first is drawn first, so the line goes where the values went.
            let firstIsLow = bucket.lowFirst
            return [PlotPoint(time: start + width / 3, value: firstIsLow ? bucket.low : bucket.high),
                    PlotPoint(time: start + 2 * width / 3, value: firstIsLow ? bucket.high : bucket.low)]
        }
    }
}

/// One bucket of a window: the values that fell in `[index * width, (index + 1) * width)`.
public struct ValueBucket: Sendable, Equatable {
    public var index: Int
    public var low: Double
    public var high: Double
    public var last: Double
    /// Whether the minimum came before the maximum.
    public var lowFirst: Bool
}

/// `BucketRing`: a ring of buckets of one width; a bucket slot is reused once its time has passed.
struct BucketRing: Sendable {
    let width: Double
    private var slots: [ValueBucket?] = Array(repeating: nil, count: TileSeries.bucketCount)

    init(width: Double) { self.width = width }

    mutating func record(_ value: Double, at time: Double) {
        let index = Int((time / width).rounded(.down))
        let slot = ((index % slots.count) + slots.count) % slots.count
        if var bucket = slots[slot], bucket.index == index {
            if value < bucket.low { bucket.low = value; bucket.lowFirst = false }
            if value > bucket.high { bucket.high = value; bucket.lowFirst = true }
            bucket.last = value
            slots[slot] = bucket
        } else if slots[slot].map({ $0.index < index }) ?? true {
            // A value older than the slot's bucket (a clock step back) is dropped rather than erasing newer ones.
            slots[slot] = ValueBucket(index: index, low: value, high: value, last: value, lowFirst: true)
        }
    }

    func buckets(now: Double) -> [ValueBucket] {
        let newest = Int((now / width).rounded(.down))
        return slots.compactMap { $0 }.filter { $0.index > newest - slots.count && $0.index <= newest }.sorted { $0.index < $1.index }
    }
}
