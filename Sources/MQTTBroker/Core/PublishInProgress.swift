/// What routing one client PUBLISH changed that its acknowledgement may have to wait for.
struct PublishEffects {
    /// Outgoing sequences queued for persistent sessions: the ack may wait for their delivery instead of a commit.
    var enqueued: [Int64] = []
    /// It changed something else durable (a retained message, a session): only the commit will do.
    var needsCommit = false
}

/// The client PUBLISH being routed: set and cleared in one place (`BrokerCore.publish`), so nothing of one
/// message's routing outlives it. Its publisher is who backpressure pauses (see `BrokerCore+Backpressure`).
struct PublishInProgress {
    let publisher: CoreConnection
    var effects = PublishEffects()
}
