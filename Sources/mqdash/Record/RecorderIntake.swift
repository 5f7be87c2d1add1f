import MQTTCore
import NIOConcurrencyHelpers
import NIOPosix

/// The network side of `mqdash record`: takes each message on the client's event loop (the client's
/// `messageHandler`, no task wake-up per message), decides whether it is recorded (`-T`, `--retained-only`,
/// `--count`) and hands it to the `Recorder`. What one turn of the event loop brought is written at the turn's
/// end, in one go. A disk that lags then holds the event loop, and TCP holds the broker back: nothing piles
/// up in memory.
final class RecorderIntake: Sendable {
    /// Why the recording ends by itself.
    enum End: Sendable {
        /// `--count`, `--max-size` or `--retained-only` reached: exit 0.
        case done
        /// A write failed (a full disk): exit 1 with this message.
        case failed(String)
    }

    private struct State {
        var recorded = 0
        var ended = false
        var writeScheduled = false
        /// When the last message came (or the SUBACK): `--retained-only` ends once this is old.
        var lastMessageAt = ContinuousClock.now
        var onEnd: (@Sendable (End) -> Void)?
    }

    let recorder: Recorder
    let filterOut: [String]
    let count: Int?
    let retainedOnly: Bool
    private let state = NIOLockedValueBox(State())

    init(recorder: Recorder, filterOut: [String], count: Int?, retainedOnly: Bool) {
        self.recorder = recorder
        self.filterOut = filterOut
        self.count = count
        self.retainedOnly = retainedOnly
    }

    /// Who hears of the end. Set once the session exists: the client, which calls `take`, is made before it.
    func onEnd(_ handler: @escaping @Sendable (End) -> Void) {
        state.withLockedValue { $0.onEnd = handler }
    }

    var lastMessageAt: ContinuousClock.Instant { state.withLockedValue { $0.lastMessageAt } }

    func noteActivity() { state.withLockedValue { $0.lastMessageAt = .now } }

    /// Called by the client with every message, on its event loop.
    func take(_ packet: PublishPacket) {
        let record = state.withLockedValue { state -> Bool in
            guard !state.ended else { return false }
            if retainedOnly && !packet.retain {
                // The first live message: every retained one has come.
                end(.done, &state)
                return false
            }
            if filterOut.contains(where: { Topic.matches(filter: $0, topic: packet.topic) }) { return false }
            state.lastMessageAt = .now
            return true
        }
        guard record else { return }
        do {
            guard try recorder.record(packet) else { return end(.done) }
        } catch {
            return end(.failed("Error: \(error)"))
        }
        let scheduleWrite = state.withLockedValue { state -> Bool in
            state.recorded += 1
            if let count, state.recorded >= count { end(.done, &state) }
            defer { state.writeScheduled = true }
            return !state.writeScheduled
        }
        if scheduleWrite { writeAtTheEndOfThisTurn() }
    }

    /// Queued behind the reads in progress, so it runs once the event loop has handled what the socket gave.
    private func writeAtTheEndOfThisTurn() {
        guard let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop else { return writePending() }
        eventLoop.execute { self.writePending() }
    }

    private func writePending() {
        state.withLockedValue { $0.writeScheduled = false }
        do {
            try recorder.writePending()
        } catch {
            end(.failed("Error: \(error)"))
        }
    }

    private func end(_ reason: End) {
        state.withLockedValue { end(reason, &$0) }
    }

    /// Only the first end counts; later messages are dropped.
    private func end(_ reason: End, _ state: inout State) {
        guard !state.ended else { return }
        state.ended = true
        state.onEnd?(reason)
    }
}
