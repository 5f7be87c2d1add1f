import Dashboard
import DashboardApp
import Foundation
import MQTTCore
import MQTTRecording
import NIOConcurrencyHelpers
import Synchronization

/// The file side of the dashboard's `R`: takes each received PUBLISH on the network thread (a quick append
/// under a lock), and writes them in batches about every `batchInterval` from its own task, so neither the
/// network nor the UI loop waits for the disk. What waits is bounded (`maximumPending` messages,
/// `maximumPendingBytes` of payload): beyond it, messages are counted as dropped and the status bar says so.
/// A write error (a full disk) ends the recording with the file complete up to its last line; the
/// dashboard goes on. The writer is only used under `output`'s lock, hence `@unchecked`.
final class DashboardRecorder: @unchecked Sendable {
    static let batchInterval = Duration.milliseconds(100)
    static let maximumPending = 200_000
    static let maximumPendingBytes = 64 * 1024 * 1024
    /// Lines are joined into writes of about this size: one `write(2)` per batch slice, not per message.
    static let chunkSize = 256 * 1024

    private struct Intake {
        var active = false
        var filter: String?
        var pending: [RecordedMessage] = []
        var pendingBytes = 0
        var dropped = 0
    }

    private struct Output {
        var writer: RecordingWriter
        var status: RecordingStatus
    }

    let queue: EventQueue
    /// What a new recording's header names; `c` changes it with the broker.
    private let source: Mutex<(brokerURL: String, filters: [String])>
    private let intake = Mutex(Intake())
    private let output = NIOLockedValueBox<Output?>(nil)

    init(queue: EventQueue, brokerURL: String, filters: [String]) {
        self.queue = queue
        self.source = Mutex((brokerURL, filters))
    }

    /// The recording commands; false for the others.
    func perform(_ command: DashboardCommand) -> Bool {
        switch command {
        case .startRecording(let path, let filter):
            start(path: path, filter: filter)
        case .stopRecording:
            // Off the UI thread: the last batch may take a moment to write.
            Task.detached { [self] in _ = writePending(ending: true) }
        default:
            return false
        }
        return true
    }

    /// Called with every PUBLISH the dashboard receives, on the connection's thread.
    func offer(_ packet: PublishPacket, at time: Double) {
        intake.withLock { intake in
            guard intake.active else { return }
            if let filter = intake.filter, !Topic.matches(filter: filter, topic: packet.topic) { return }
            let bytes = packet.payload.readableBytes + packet.topic.utf8.count
            guard intake.pending.count < Self.maximumPending, intake.pendingBytes + bytes <= Self.maximumPendingBytes else {
                intake.dropped += 1
                return
            }
            intake.pending.append(RecordedMessage(packet, time: RecordTimestamp(microsecondsSince1970: Int64((time * 1_000_000).rounded()))))
            intake.pendingBytes += bytes
        }
    }

    /// `c` switched brokers: later recordings name the new one.
    func retarget(brokerURL: String, filters: [String]) {
        source.withLock { $0 = (brokerURL, filters) }
    }

    func start(path: String, filter: String?) {
        let status = RecordingStatus(path: path)
        guard output.withLockedValue({ $0 == nil }) else { return }
        // A name that exists is refused rather than overwritten: a recording is never lost to a typo.
        if FileManager.default.fileExists(atPath: path) {
            return queue.push(.recording(.stopped(status, error: "\(path) exists; choose another name")))
        }
        let writer: RecordingWriter
        do throws(RecordingFileError) {
            writer = try RecordingWriter(path: path)
            let source = source.withLock { $0 }
            try writer.write(RecordingHeader(
                broker: source.brokerURL, filters: filter.map { [$0] } ?? source.filters, start: .now(), tool: VersionText.line))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            return queue.push(.recording(.stopped(status, error: error.message)))
        }
        var running = status
        running.bytes = writer.bytesWritten
        output.withLockedValue { $0 = Output(writer: writer, status: running) }
        intake.withLock { $0 = Intake(active: true, filter: filter) }
        queue.push(.recording(.running(running)))
        Task.detached { [self] in
            while true {
                try? await Task.sleep(for: Self.batchInterval)
                if !writePending(ending: false) { return }
            }
        }
    }

    /// The app quits: what is pending is written and the file closed.
    func finish() {
        _ = writePending(ending: true)
    }

    /// Writes what waits; with `ending`, also closes the file. False once there is no recording (any more).
    private func writePending(ending: Bool) -> Bool {
        output.withLockedValue { output -> Bool in
            guard var current = output else { return false }
            let (batch, dropped) = intake.withLock { intake in
                defer {
                    intake.pending = []
                    intake.pendingBytes = 0
                    if ending { intake.active = false }
                }
                return (intake.pending, intake.dropped)
            }
            let before = current.status
            var failure: String?
            do throws(RecordingFileError) {
                try write(batch, to: current.writer, status: &current.status)
                try current.writer.flush()
                if ending { try current.writer.close() }
            } catch {
                failure = error.message
            }
            current.status.dropped = dropped
            if let failure {
                intake.withLock { $0.active = false }
                try? current.writer.close()
                output = nil
                queue.push(.recording(.stopped(current.status, error: failure)))
                return false
            }
            if ending {
                output = nil
                queue.push(.recording(.stopped(current.status, error: nil)))
                return false
            }
            output = current
            if current.status != before { queue.push(.recording(.running(current.status))) }
            return true
        }
    }

    /// Whole lines in chunks; the counts grow only by what reached the file, so after a failure they say
    /// what the file holds. A chunk that fails is tried again line by line, so a disk that fills keeps every
    /// line that fits.
    private func write(_ batch: [RecordedMessage], to writer: RecordingWriter, status: inout RecordingStatus) throws(RecordingFileError) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.chunkSize + 4096)
        var chunkStart = 0
        func writeChunk(endingBefore end: Int) throws(RecordingFileError) {
            do throws(RecordingFileError) {
                try writer.write(line: chunk)
                status.messages += end - chunkStart
                status.bytes += Int64(chunk.count)
            } catch {
                for message in batch[chunkStart..<end] {
                    let line = RecordLineEncoder.line(for: message)
                    try writer.write(line: line)
                    status.messages += 1
                    status.bytes += Int64(line.count)
                }
                throw error
            }
            chunk.removeAll(keepingCapacity: true)
            chunkStart = end
        }
        for (index, message) in batch.enumerated() {
            RecordLineEncoder.append(message, to: &chunk)
            if chunk.count >= Self.chunkSize { try writeChunk(endingBefore: index + 1) }
        }
        if !chunk.isEmpty { try writeChunk(endingBefore: batch.count) }
    }
}
