import Foundation
import MQTTCore
import MQTTRecording
import NIOConcurrencyHelpers

/// The file side of `mqdash record`: makes each message one line, rotates or stops at the size limits, and
/// keeps the counts for the live counter and the summary. Lines wait in `pending` until `writePending`
/// (`RecorderIntake` calls it once per turn of the event loop) or until `writeChunk` bytes have gathered: one `write(2)`
/// for many lines, each whole. Called from the event loop, the ticker and the signal handler: every use
/// of the writer is under the lock, hence `@unchecked`.
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

    /// Lines gathered past this size are written at once, so that a long turn of the event loop holds little.
    static let writeChunk = 64 * 1024

    private struct State {
        var writer: RecordingWriter?
        /// Complete lines not yet handed to the writer.
        var pending: [UInt8] = []
        var counts = Counts()

        /// The current file's size once the pending lines are written.
        var fileSize: Int64 { (writer?.bytesWritten ?? 0) + Int64(pending.count) }
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

    /// Takes `packet` as a line; false once `--max-size` is reached or the file is closed (nothing more is
    /// taken). Throws on a write error (a full disk), after closing the file so it ends with a complete line.
    func record(_ packet: PublishPacket) throws(RecordingFileError) -> Bool {
        let message = RecordedMessage(packet, time: .now())
        return try withWriter { state throws(RecordingFileError) -> Bool in
            // Encoded straight after the lines already pending, and taken back if it would pass --max-size.
            let lineStart = state.pending.count
            RecordLineEncoder.append(message, to: &state.pending)
            let lineLength = state.pending.count - lineStart
            if let maximum = limits.maximumSize, state.fileSize > maximum {
                state.pending.removeLast(lineLength)
                state.counts.stoppedAtLimit = true
                return false
            }
            state.counts.messages += 1
            state.counts.bytes += Int64(lineLength)
            if let rotate = limits.rotateSize, state.fileSize >= rotate {
                try rotateFile(&state)
            } else if state.pending.count >= Self.writeChunk {
                try Self.write(&state)
            }
            return true
        } ?? false
    }

    /// Writes the lines taken so far.
    func writePending() throws(RecordingFileError) {
        _ = try withWriter { state throws(RecordingFileError) in try Self.write(&state) }
    }

    /// Writes the pending lines, flushes and closes the file (SIGINT, the end of the run). Later messages are not taken.
    func finish() throws(RecordingFileError) {
        _ = try withWriter { state throws(RecordingFileError) in
            defer { state.writer = nil }
            try Self.write(&state)
            try state.writer?.close()
        }
    }

    /// Writes the pending lines and flushes a gzip file's buffer, so that a kill loses at most the time since the last call.
    func flush() {
        _ = try? withWriter { state throws(RecordingFileError) in
            try Self.write(&state)
            try state.writer?.flush()
        }
    }

    /// Runs `body` under the lock while a file is open (nil once closed). On an error the file is closed,
    /// complete up to its last line, and nothing more is taken.
    private func withWriter<T>(_ body: (inout State) throws(RecordingFileError) -> T) throws(RecordingFileError) -> T? {
        let result = state.withLockedValue { state -> Result<T?, RecordingFileError> in
            guard state.writer != nil else { return .success(nil) }
            do throws(RecordingFileError) {
                return .success(try body(&state))
            } catch {
                try? state.writer?.close()
                state.writer = nil
                state.pending = []
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func write(_ state: inout State) throws(RecordingFileError) {
        guard !state.pending.isEmpty, let writer = state.writer else { return }
        defer { state.pending.removeAll(keepingCapacity: true) }
        try writer.write(lines: state.pending)
    }

    /// `--rotate`: the file becomes `NAME.1.EXT` and a new one starts with the header.
    private func rotateFile(_ state: inout State) throws(RecordingFileError) {
        try Self.write(&state)
        try state.writer?.close()
        state.writer = nil
        try Self.replace(Self.rotatedPath(path), with: path)
        let next = try Self.start(path: path, header: header)
        state.writer = next
        state.counts.bytes += next.bytesWritten
        state.counts.rotations += 1
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
