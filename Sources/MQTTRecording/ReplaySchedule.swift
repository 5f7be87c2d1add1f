import MQTTCore

/// When to send each message of a replay: the first one at once, each later one at the start plus its distance
/// from the first in the recording, divided by `speed`. A message stamped earlier than one before it (a file
/// joined from several) is due at once rather than waiting or reordering.
///
/// Deadlines are measured from the start, never from the previous send, so lateness does not accumulate.
public struct ReplaySchedule<C: MQTTClock>: Sendable {
    public let clock: C
    /// nil: flat out (`--max`).
    public let speed: Double?
    private var origin: (recorded: RecordTimestamp, instant: C.Instant)?

    public init(clock: C, speed: Double?) {
        precondition(speed.map { $0 > 0 } ?? true, "speed must be positive")
        self.clock = clock
        self.speed = speed
    }

    /// Starts the timing again from the next message (`--loop`).
    public mutating func restart() { origin = nil }

    /// The instant at which the message stamped `time` is due; nil when there is no waiting (`--max`).
    public mutating func deadline(for time: RecordTimestamp) -> C.Instant? {
        guard let speed else { return nil }
        guard let origin else {
            let now = clock.now
            origin = (time, now)
            return now
        }
        let recorded = origin.recorded.duration(to: time)
        guard recorded > .zero else { return origin.instant }
        return origin.instant.advanced(by: recorded / speed)
    }

    /// Waits until the message stamped `time` is due.
    public mutating func wait(for time: RecordTimestamp) async throws {
        guard let deadline = deadline(for: time), clock.now < deadline else { return }
        try await clock.sleep(until: deadline, tolerance: nil)
    }
}
