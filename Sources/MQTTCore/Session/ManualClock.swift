import Foundation

/// A clock that only moves when told to, for driving the state machines (keep alive, the broker's
/// core) in tests and in the fuzz targets, where every run must be the same.
///
/// The state machines take instants as arguments, so callers mostly just read `now` after
/// `advance(by:)`. `sleep` is implemented (by polling) only so that the type is a real
/// `Clock`.
public final class ManualClock: MQTTClock, @unchecked Sendable {
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was created.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

        public var description: String { "t+\(offset)" }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)

    public init() {}

    public var now: Instant { lock.withLock { current } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Moves time forward and returns the new instant.
    @discardableResult
    public func advance(by duration: Duration) -> Instant {
        lock.withLock {
            current = current.advanced(by: duration)
            return current
        }
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline {
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}
