import CZlib
import Foundation

/// Appends whole lines to a recording. A plain file gets each call's lines in one `write(2)`, so a process killed at
/// any moment leaves complete lines plus at most part of the last one; a write that fails half-way (a full disk)
/// is cut back to the last complete line, so the file stays valid. A `.gz` file is flushed at most every
/// `gzipFlushInterval`, so a kill loses at most that much.
public final class RecordingWriter {
    public static let gzipFlushInterval: Duration = .seconds(1)

    public let path: String
    public let isCompressed: Bool
    private var descriptor: Int32 = -1
    private var gzip: gzFile?
    private var lastFlush = ContinuousClock.now
    private var unflushed = false
    /// Bytes handed to the file so far (uncompressed bytes for gzip).
    public private(set) var bytesWritten: Int64 = 0

    /// Creates (or empties) `path`; a name ending in `.gz` is written gzip-compressed.
    public init(path: String) throws(RecordingFileError) {
        self.path = path
        isCompressed = path.hasSuffix(".gz")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RecordingFileError(.open, "\(path): \(String(cString: strerror(errno)))") }
        if isCompressed {
            guard let gzip = gzdopen(descriptor, "wb6") else {
                _ = Foundation.close(descriptor)
                throw RecordingFileError(.open, "\(path): cannot start gzip")
            }
            self.gzip = gzip
        } else {
            self.descriptor = descriptor
        }
    }

    deinit { try? close() }

    public func write(_ header: RecordingHeader) throws(RecordingFileError) {
        try write(line: RecordLineEncoder.line(for: header))
    }

    public func write(_ message: RecordedMessage) throws(RecordingFileError) {
        try write(line: RecordLineEncoder.line(for: message))
    }

    /// Writes one complete line (ending in a newline).
    public func write(line: [UInt8]) throws(RecordingFileError) {
        try write(lines: line)
    }

    /// Writes complete lines (the last one ending in a newline) in one `write(2)` where the kernel takes them
    /// all. A write that fails part-way (a full disk) is cut back to the last complete line written, so the
    /// file stays valid and the next write starts on a line of its own.
    public func write(lines: [UInt8]) throws(RecordingFileError) {
        if let gzip {
            let written = lines.withUnsafeBufferPointer { gzwrite(gzip, $0.baseAddress, UInt32($0.count)) }
            guard Int(written) == lines.count else { throw failure(gzipError: gzip) }
            unflushed = true
            if lastFlush.duration(to: .now) >= Self.gzipFlushInterval { try flush() }
        } else {
            guard descriptor >= 0 else { throw RecordingFileError(.write, "\(path): already closed") }
            var offset = 0
            while offset < lines.count {
                let written = lines.withUnsafeBufferPointer { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    let code = written == 0 ? ENOSPC : errno
                    let kept = lines[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
                    bytesWritten += Int64(kept)
                    // Leave no partial line behind, and write the next line where this one began (the
                    // offset would otherwise stay past the cut and leave a hole of zeros).
                    if offset > kept {
                        _ = ftruncate(descriptor, off_t(bytesWritten))
                        _ = lseek(descriptor, off_t(bytesWritten), SEEK_SET)
                    }
                    throw failure(errno: code)
                }
                offset += written
            }
        }
        bytesWritten += Int64(lines.count)
    }

    /// Pushes gzip's buffered data to the file (a no-op for plain files, which are never buffered).
    public func flush() throws(RecordingFileError) {
        guard let gzip, unflushed else { return }
        lastFlush = .now
        unflushed = false
        guard gzflush(gzip, Z_SYNC_FLUSH) == Z_OK else { throw failure(gzipError: gzip) }
    }

    /// Ends the file (gzip: writes its trailer). Safe to call twice.
    public func close() throws(RecordingFileError) {
        if let gzip {
            self.gzip = nil
            guard gzclose(gzip) == Z_OK else { throw RecordingFileError(.write, "\(path): could not finish the gzip file") }
        }
        if descriptor >= 0 {
            let descriptor = self.descriptor
            self.descriptor = -1
            guard Foundation.close(descriptor) == 0 else { throw failure(errno: errno) }
        }
    }

    private func failure(errno code: Int32) -> RecordingFileError {
        let text = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT || code == EFBIG {
            return RecordingFileError(.diskFull, "\(path): \(text); the recording stops here, complete up to its last line")
        }
        return RecordingFileError(.write, "\(path): \(text)")
    }

    private func failure(gzipError gzip: gzFile) -> RecordingFileError {
        var code: Int32 = 0
        let message = String(cString: gzerror(gzip, &code))
        if code == Z_ERRNO { return failure(errno: errno) }
        return RecordingFileError(.write, "\(path): \(message)")
    }
}
