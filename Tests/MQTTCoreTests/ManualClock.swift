import Foundation
import MQTTCore

/// A clock that only moves when a test says so, for driving the keep alive state machines.
///
/// The state machines take instants as arguments, so tests mostly just read `now` after
/// `advance(by:)`. `sleep` is implemented (by polling) only so that the type is a real
/// `Clock`.
final class ManualClock: MQTTClock, @unchecked Sendable {
    struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock was created.
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

        var description: String { "t+\(offset)" }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// Moves time forward and returns the new instant.
    @discardableResult
    func advance(by duration: Duration) -> Instant {
        lock.withLock {
            current = current.advanced(by: duration)
            return current
        }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline {
            try Task.checkCancellation()
            await Task.yield()
        }
    }
}
