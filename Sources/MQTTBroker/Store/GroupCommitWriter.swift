import Foundation

/// Buffers changes from any thread and commits them on a thread of its own, many at a time.
///
/// `record` and `whenDurable` only take a lock and append, so the event loop never waits for
/// the disk. The writer thread takes everything buffered so far, commits it with one call of
/// `commit` (one transaction, so one fsync with `synchronous=FULL`), then runs the callbacks
/// registered before it took the batch, in the order they were registered. While it commits,
/// new changes and callbacks collect for the next batch: the busier the broker, the larger
/// the batches. A callback with nothing to commit runs as soon as the batch in progress ends.
///
/// A batch that only non-urgent callbacks wait for (or none) stays open up to `patience` first, so that
/// changes undone meanwhile cancel out in it (see `StoreBatchCoalescing`); an urgent callback, `close`, or
/// a large batch ends the wait.
///
/// A failed commit loses nothing: the batch goes back in front of the buffer, its callbacks
/// wait, and the writer retries with a growing pause (the broker then stops acknowledging
/// QoS 1/2 messages, which is right while they cannot be stored). After `close`, one last try.
final class GroupCommitWriter<Change: Sendable>: @unchecked Sendable {
    typealias Callback = @Sendable () -> Void

    // Everything below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var pending: [Change] = []
    private var callbacks: [Callback] = []
    /// Callbacks in `callbacks` asked for urgently.
    private var urgentCallbacks = 0
    /// The writer waits for new work (not in a commit, not in its patience): a record must wake it.
    private var idle = false
    private var closing = false
    private var finished = false
    private var commits = 0
    private var failing = false

    private let commit: ([Change]) throws -> Void
    private let reportFailure: @Sendable (any Error) -> Void
    private let retryPauses: [TimeInterval]
    private let patience: TimeInterval
    /// Set before the thread starts, never changed.
    private var thread: Thread?

    /// Starts the writer thread. `commit` runs only on that thread.
    init(name: String, retryPauses: [TimeInterval] = [0.05, 0.2, 1, 5], patience: TimeInterval = 0,
         commit: @escaping ([Change]) throws -> Void, reportFailure: @escaping @Sendable (any Error) -> Void) {
        self.patience = patience
        self.commit = commit
        self.reportFailure = reportFailure
        self.retryPauses = retryPauses
        let thread = Thread { [self] in run() }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    /// Changes buffered past this many mean the disk cannot keep up (see `isFallingBehind`).
    static var backlogLimit: Int { 100_000 }
    /// A batch this large is committed without waiting out the patience.
    static var patientBatchLimit: Int { 10_000 }

    /// The last commit failed and is being retried, or more than `backlogLimit` changes wait.
    var isFallingBehind: Bool {
        condition.lock()
        defer { condition.unlock() }
        return failing || pending.count > Self.backlogLimit
    }

    /// Transactions committed so far (batches that held at least one change).
    var commitCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return commits
    }

    /// Buffers a change for the next batch; dropped after `close`.
    func record(_ change: Change) {
        condition.lock()
        if !closing {
            pending.append(change)
            if idle || pending.count >= Self.patientBatchLimit { condition.signal() }
        }
        condition.unlock()
    }

    /// Buffers several changes at once (one lock round trip).
    func record(contentsOf changes: some Sequence<Change>) {
        condition.lock()
        if !closing {
            pending.append(contentsOf: changes)
            if idle || pending.count >= Self.patientBatchLimit { condition.signal() }
        }
        condition.unlock()
    }

    /// Runs `callback` on the writer thread once everything recorded before it is committed.
    /// After `close` it never runs: nothing more will be committed. Not `urgent`: the batch may wait out
    /// the writer's patience first.
    func whenDurable(urgent: Bool = true, _ callback: @escaping Callback) {
        condition.lock()
        if !closing {
            callbacks.append(callback)
            if urgent { urgentCallbacks += 1 }
            if idle || urgent { condition.signal() }
        }
        condition.unlock()
    }

    /// Commits what is buffered and stops the thread; returns when it has stopped. Called from a
    /// `whenDurable` callback (the writer thread itself) it only asks the thread to stop, as
    /// waiting there would never end. Returns whether the thread has stopped.
    @discardableResult
    func close() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        closing = true
        condition.broadcast()
        guard Thread.current !== thread else { return false }
        while !finished { condition.wait() }
        return true
    }

    private func run() {
        var failures = 0
        var spare: [Change] = []
        condition.lock()
        while true {
            idle = true
            while pending.isEmpty && callbacks.isEmpty && !closing { condition.wait() }
            idle = false
            if pending.isEmpty && callbacks.isEmpty { break }
            if patience > 0 {
                let deadline = Date(timeIntervalSinceNow: patience)
                while !closing && urgentCallbacks == 0 && pending.count < Self.patientBatchLimit
                        && condition.wait(until: deadline) {}
            }
            // Hand the buffer an empty array that already has capacity (the previous batch's),
            // so appends during the commit don't reallocate.
            var batch = pending
            pending = spare
            spare = []
            let durable = callbacks
            callbacks = []
            urgentCallbacks = 0
            condition.unlock()

            var committed = true
            let transaction = !batch.isEmpty
            if transaction {
                do {
                    try commit(batch)
                } catch {
                    committed = false
                    reportFailure(error)
                }
            }
            if committed {
                for callback in durable { callback() }
                batch.removeAll(keepingCapacity: true)
                spare = batch
                failures = 0
            }

            condition.lock()
            failing = !committed
            if committed && transaction { commits += 1 }
            if !committed {
                if closing && failures > 0 {
                    // Already retried after close was asked for: give up rather than hang the shutdown.
                    break
                }
                pending = batch + pending
                callbacks = durable + callbacks
                // The retry pause below is the wait now; the kept callbacks count as urgent from here on.
                urgentCallbacks = callbacks.count
                let pause = retryPauses[min(failures, retryPauses.count - 1)]
                failures += 1
                // New records signal the condition; only a timeout or close ends the pause.
                let deadline = Date(timeIntervalSinceNow: pause)
                while !closing && condition.wait(until: deadline) {}
            }
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
