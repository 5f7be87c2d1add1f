import NIOCore

/// The clocks our state machines take time from: any `Clock` measured in `Swift.Duration`.
///
/// The state machines never read a clock themselves; they are handed instants with each
/// event. The protocol only pins down the instant type, so production code uses
/// `ContinuousClock` (monotonic, keeps counting across sleep of the machine, which is what a
/// network peer sees) and tests use a manual clock they advance by hand.
public protocol MQTTClock: Clock where Duration == Swift.Duration {}

extension ContinuousClock: MQTTClock {}
extension SuspendingClock: MQTTClock {}

extension MQTTClock {
    /// How long from `now` until `deadline`, as a NIO timer delay; zero if already past.
    ///
    /// The channel handler schedules its timer with this after asking a state machine for
    /// its next deadline.
    public static func timeAmount(from now: Instant, until deadline: Instant) -> TimeAmount {
        let remaining = now.duration(to: deadline)
        return remaining > .zero ? TimeAmount(remaining) : .zero
    }
}

extension Duration {
    /// A keep alive given in whole seconds, as CONNECT and CONNACK carry it.
    public static func keepAlive(_ seconds: UInt16) -> Duration {
        .seconds(Int64(seconds))
    }
}
