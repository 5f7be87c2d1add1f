/// The outcome of `BrokerServer.start()`, awaited by a SIGINT/SIGTERM that arrives while the broker is
/// still starting: it must stop what the start opened, never race it.
actor BrokerStartup {
    private var succeeded: Bool?
    private var waiting: [CheckedContinuation<Bool, Never>] = []

    func finish(succeeded: Bool) {
        self.succeeded = succeeded
        for continuation in waiting { continuation.resume(returning: succeeded) }
        waiting = []
    }

    /// Whether the broker started; returns once the start has ended either way.
    func outcome() async -> Bool {
        if let succeeded { return succeeded }
        return await withCheckedContinuation { waiting.append($0) }
    }
}
