import Dashboard
import DashboardApp
import Foundation
import MQTTCore
import MQTTRecording
import NIOCore
import Synchronization

/// `mqdash open FILE`: the messages of a recording, into the dashboard's queue as if they had arrived.
/// Read as a stream (one message at a time), so a file larger than memory is read through; the
/// dashboard's limits (log size, history, payload cap) apply as they do live. The reader waits while the
/// queue holds `queueHighWater` events, so nothing is skipped and memory stays flat.
///
/// Without `--play` every message goes in at once, stamped with its recorded time. With `--play` they go in
/// at the recording's pace (scaled by the speed), stamped with the time they are shown, as a live feed
/// would be; the status bar shows the position in the recording.
final class RecordingFeed: Sendable {
    static let queueHighWater = 20_000
    /// How often the player reports its position (and looks at the controls while it waits).
    static let reportInterval = 0.25
    static let speeds: ClosedRange<Double> = 1.0 / 64...1024

    struct Controls: Sendable {
        var speed: Double
        var paused = false
        /// Seconds to move, taken by the player at its next look.
        var pendingJump: Double = 0
        var stopped = false
    }

    let path: String
    let queue: EventQueue
    let maximumStoredPayload: Int
    private let controls: Mutex<Controls>
    private let knownEnd = Mutex<Double?>(nil)
    private let skipped = Mutex<(Int, [RecordingReader.SkippedLine])>((0, []))

    init(path: String, queue: EventQueue, maximumStoredPayload: Int, speed: Double) {
        self.path = path
        self.queue = queue
        self.maximumStoredPayload = maximumStoredPayload
        controls = Mutex(Controls(speed: speed))
    }

    /// The first message's line must come before any line that is not a record: otherwise this is not a
    /// recording, and the error names the first offending line. Returns the first message's time.
    static func check(_ path: String) throws -> Double? {
        let reader: RecordingReader
        do { reader = try RecordingReader(path: path) } catch { throw ExitWithMessage(message: "Error: \(error)", code: 1) }
        let first = reader.next()
        if let bad = reader.skipped.first, first.map({ bad.lineNumber < $0.lineNumber }) ?? true {
            throw ExitWithMessage(message: "Error: \(path) is not a recording: line \(bad.lineNumber): \(bad.reason).", code: 1)
        }
        return first.map { seconds($0.message.time) }
    }

    /// `--play`: the recording's last time, found by a pass of its own (on another thread) so that the first
    /// frame does not wait for a large file; until then the position's range ends where the player is.
    func findEnd() {
        guard let reader = try? RecordingReader(path: path) else { return }
        var end = -Double.infinity
        while let next = reader.next() {
            if isStopped { return }
            end = max(end, Self.seconds(next.message.time))
        }
        knownEnd.withLock { $0 = end }
    }

    static func seconds(_ time: RecordTimestamp) -> Double { Double(time.microsecondsSince1970) / 1_000_000 }

    /// Publishing and subscribing have no broker here; export works as live. True when handled.
    func perform(_ command: DashboardCommand) -> Bool {
        switch command {
        case .playback(let control):
            controls.withLock { controls in
                switch control {
                case .togglePause: controls.paused.toggle()
                case .scaleSpeed(let factor):
                    controls.speed = min(Self.speeds.upperBound, max(Self.speeds.lowerBound, controls.speed * factor))
                case .jump(let seconds): controls.pendingJump += seconds
                }
            }
        case .publish(let topic, _, _, _, _):
            queue.push(.published(PublishOutcome(topic: topic, acknowledgement: "failed", error: "no broker: this is a recording")))
        case .clearRetained(let topics):
            queue.push(.published(PublishOutcome(topic: topics.first ?? "", acknowledgement: "failed", error: "no broker: this is a recording")))
        case .subscribe(let filter, _):
            queue.push(.subscriptionFailed(SubscriptionFailure(filter: filter, reason: "no broker: this is a recording")))
        case .startRecording(let path, _):
            queue.push(.recording(.stopped(RecordingStatus(path: path), error: "R records a live dashboard; this is a recording already")))
        default:
            return false
        }
        return true
    }

    func stop() { controls.withLock { $0.stopped = true } }

    private var isStopped: Bool { controls.withLock { $0.stopped } }

    /// Every message at once, with its recorded time.
    func readAll() {
        guard let reader = try? RecordingReader(path: path) else { return }
        while let next = reader.next() {
            if !waitForRoom() { return }
            queue.push(.message(received(next.message, at: Self.seconds(next.message.time))))
        }
        note(reader)
    }

    /// The player: each message when its time comes, at the chosen speed; pause, speed and jumps as asked.
    func play(start: Double) {
        var reader: RecordingReader
        do { reader = try RecordingReader(path: path) } catch { return }
        var position = start
        // The wall clock that corresponds to `position` at the current speed.
        var anchorWall = Self.wallClock()
        var anchorPosition = position
        var lastReport = 0.0
        var next = reader.next()
        func status(_ controls: Controls, finished: Bool) -> PlaybackStatus {
            PlaybackStatus(start: start, end: max(position, knownEnd.withLock { $0 } ?? position), position: position, speed: controls.speed,
                           paused: controls.paused, finished: finished)
        }
        var shownSpeed = controls.withLock { $0.speed }
        var wasPaused = false
        var finishedShown = false
        var lastDue: Double?
        while true {
            var current = controls.withLock { controls in
                defer { controls.pendingJump = 0 }
                return controls
            }
            if current.stopped { return }
            let now = Self.wallClock()
            if current.paused != wasPaused || current.speed != shownSpeed {
                // Re-anchor so the position does not leap when the speed or the pause changes.
                anchorWall = now
                anchorPosition = position
                wasPaused = current.paused
                shownSpeed = current.speed
                queue.push(.playback(status(current, finished: next == nil)))
            }
            if current.pendingJump != 0 {
                let target = min(knownEnd.withLock { $0 } ?? .infinity, max(start, position + current.pendingJump))
                if target < position {
                    // Back: read again from the start up to the target; what was shown stays shown.
                    guard let again = try? RecordingReader(path: path) else { return }
                    reader = again
                    finishedShown = false
                    next = reader.next()
                    while let candidate = next, Self.seconds(candidate.message.time) < target { next = reader.next() }
                } else {
                    // Forward: what lies between is shown at once, so the topics are as they were at the target.
                    while let candidate = next, Self.seconds(candidate.message.time) < target {
                        if !waitForRoom() { return }
                        queue.push(.message(received(candidate.message, at: now)))
                        lastDue = Self.seconds(candidate.message.time)
                        next = reader.next()
                    }
                }
                position = target
                anchorWall = now
                anchorPosition = position
                current.pendingJump = 0
                queue.push(.playback(status(current, finished: next == nil)))
            }
            guard let pending = next else {
                if !finishedShown {
                    finishedShown = true
                    position = lastDue ?? position
                    note(reader)
                    queue.push(.playback(status(current, finished: true)))
                }
                // Finished: keep answering the controls (a jump back plays again) until the app ends.
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            if !current.paused { position = anchorPosition + (now - anchorWall) * current.speed }
            let due = Self.seconds(pending.message.time)
            if now - lastReport >= Self.reportInterval {
                lastReport = now
                queue.push(.playback(status(current, finished: false)))
            }
            if !current.paused && due <= position {
                if !waitForRoom() { return }
                queue.push(.message(received(pending.message, at: now)))
                lastDue = due
                next = reader.next()
                // Behind (the UI's queue held the player back): the position follows the messages, so the
                // recording plays at the pace the UI takes rather than running ahead of what is shown.
                if position - due > Self.reportInterval * current.speed {
                    anchorWall = now
                    anchorPosition = due
                    position = due
                }
                continue
            }
            let wait = current.paused ? Self.reportInterval : min(Self.reportInterval, (due - position) / current.speed)
            if wait > 0 { Thread.sleep(forTimeInterval: min(0.05, wait)) }
        }
    }

    /// Waits while the UI has plenty to do; false once stopped.
    private func waitForRoom() -> Bool {
        while queue.count >= Self.queueHighWater {
            if isStopped { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return !isStopped
    }

    /// Lines that were not records, for the report on stderr once the dashboard has closed.
    private func note(_ reader: RecordingReader) {
        skipped.withLock { $0 = (reader.skippedCount, reader.skipped) }
    }

    /// `Skipped N lines that are not records: line 7: ...` (the first few), or nil when none were.
    var skippedReport: String? {
        let (count, lines) = skipped.withLock { $0 }
        guard count > 0 else { return nil }
        let shown = lines.prefix(5).map(\.description).joined(separator: "; ")
        return "Skipped \(count) line\(count == 1 ? "" : "s") that \(count == 1 ? "is" : "are") not records: \(shown)" + (count > 5 ? "; ..." : "")
    }

    private func received(_ message: RecordedMessage, at time: Double) -> ReceivedMessage {
        let kept = min(message.payload.count, max(0, maximumStoredPayload))
        let qos = QoS(rawValue: min(message.qos, 2)) ?? .atMostOnce
        return ReceivedMessage(
            topic: message.topic, payload: ByteBuffer(bytes: message.payload.prefix(kept)), size: message.payload.count,
            qos: qos, retain: message.retain, properties: message.properties, receivedAt: time)
    }

    static func wallClock() -> Double { DashboardLoop.wallClock() }
}
