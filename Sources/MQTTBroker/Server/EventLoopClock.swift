import MQTTCore
import NIOCore

/// The time of the event loop the broker runs on, as an `MQTTClock` for `BrokerCore`: `NIODeadline.now()` on
/// a real loop, and the loop's own time on an `EmbeddedEventLoop`, which tests move by hand.
struct EventLoopClock: MQTTClock {
    struct Instant: InstantProtocol {
        var uptimeNanoseconds: UInt64

        func advanced(by duration: Duration) -> Instant {
            let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
            return Instant(uptimeNanoseconds: UInt64(clamping: Int64(clamping: uptimeNanoseconds) &+ nanoseconds))
        }

        func duration(to other: Instant) -> Duration {
            .nanoseconds(Int64(clamping: other.uptimeNanoseconds) - Int64(clamping: uptimeNanoseconds))
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
    }

    let loop: any EventLoop

    var now: Instant { Instant(uptimeNanoseconds: loop.now.uptimeNanoseconds) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try await Task.sleep(for: now.duration(to: deadline))
    }
}
