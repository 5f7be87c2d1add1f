/// What routing one client PUBLISH changed that its acknowledgement may have to wait for.
struct PublishEffects {
    /// Outgoing sequences queued for persistent sessions: the ack may wait for their delivery instead of a commit.
    var enqueued: [Int64] = []
    /// How many of `enqueued` were sent at once (their subscriber is connected, with room in its window).
    var sentAtOnce = 0
    /// It changed something else durable (a retained message, a session): only the commit will do.
    var needsCommit = false

    /// The ack can be expected from the subscribers soon: every queued copy is already on its way.
    var isInFlightToAll: Bool { !needsCommit && sentAtOnce == enqueued.count }
}

/// The client PUBLISH being routed: set and cleared in one place (`BrokerCore.publish`), so nothing of one
/// message's routing outlives it. Its publisher is who backpressure pauses (see `BrokerCore+Backpressure`).
struct PublishInProgress {
    let publisher: CoreConnection
    var effects = PublishEffects()
}
