import Foundation
import MQTTCore
import MQTTRecording
import NIOConcurrencyHelpers

/// The file side of `mqdash record`: writes each message as one line, rotates or stops at the size limits,
/// and keeps the counts for the live counter and the summary. Called from the session's actor and from the
/// signal handler: every use of the writer is under the lock, hence `@unchecked`.
final class Recorder: @unchecked Sendable {
    struct Limits: Sendable {
        /// `--max-size`: stop before the file would grow past this.
        var maximumSize: Int64?
        /// `--rotate`: at this size the file becomes `NAME.1.EXT` (replacing the previous one) and a new one starts.
        var rotateSize: Int64?
    }

    struct Counts: Sendable {
        var messages = 0
        /// Bytes written over all files (uncompressed).
        var bytes: Int64 = 0
        var rotations = 0
        var stoppedAtLimit = false
    }

    private struct State {
        var writer: RecordingWriter?
        var counts = Counts()
    }

    let path: String
    let header: RecordingHeader
    let limits: Limits
    private let state: NIOLockedValueBox<State>

    init(path: String, header: RecordingHeader, limits: Limits) throws(RecordingFileError) {
        self.path = path
        self.header = header
        self.limits = limits
        let writer = try Self.start(path: path, header: header)
        var state = State(writer: writer)
        state.counts.bytes = writer.bytesWritten
        self.state = NIOLockedValueBox(state)
    }

    private static func start(path: String, header: RecordingHeader) throws(RecordingFileError) -> RecordingWriter {
        let writer = try RecordingWriter(path: path)
        try writer.write(header)
        return writer
    }

    var counts: Counts { state.withLockedValue { $0.counts } }

    /// Writes `message`; false once `--max-size` is reached (nothing more is written). Throws on a write
    /// error (a full disk), after closing the file so it ends with a complete line.
    func record(_ packet: PublishPacket) throws(RecordingFileError) -> Bool {
        let line = RecordLineEncoder.line(for: RecordedMessage(packet, time: .now()))
        let result = state.withLockedValue { state -> Result<Bool, RecordingFileError> in
            guard let writer = state.writer else { return .success(false) }
            do throws(RecordingFileError) {
                if let maximum = limits.maximumSize, writer.bytesWritten + Int64(line.count) > maximum {
                    state.counts.stoppedAtLimit = true
                    return .success(false)
                }
                try writer.write(line: line)
                state.counts.messages += 1
                state.counts.bytes += Int64(line.count)
                if let rotate = limits.rotateSize, writer.bytesWritten >= rotate {
                    try writer.close()
                    state.writer = nil
                    try Self.replace(Self.rotatedPath(path), with: path)
                    let next = try Self.start(path: path, header: header)
                    state.writer = next
                    state.counts.bytes += next.bytesWritten
                    state.counts.rotations += 1
                }
                return .success(true)
            } catch {
                try? state.writer?.close()
                state.writer = nil
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Flushes and closes the file (SIGINT, the end of the run). Later messages are not written.
    func finish() throws(RecordingFileError) {
        let writer = state.withLockedValue { state in
            defer { state.writer = nil }
            return state.writer
        }
        try writer?.close()
    }

    /// Flushes a gzip file's buffer, so that a kill loses at most the time since the last call.
    func flush() {
        state.withLockedValue { state in _ = try? state.writer?.flush() }
    }

    /// `rec.jsonl` -> `rec.1.jsonl`, `rec.jsonl.gz` -> `rec.1.jsonl.gz`, `rec` -> `rec.1`.
    static func rotatedPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let directory = String(path.dropLast(name.count))
        guard let dot = name.dropFirst().firstIndex(of: ".") else { return path + ".1" }
        return directory + name[..<dot] + ".1" + name[dot...]
    }

    private static func replace(_ destination: String, with source: String) throws(RecordingFileError) {
        guard rename(source, destination) == 0 else {
            throw RecordingFileError(.write, "\(source): cannot rotate to \(destination): \(String(cString: strerror(errno)))")
        }
    }
}
