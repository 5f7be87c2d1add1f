import CZlib
import Foundation

/// Reads a file line by line in fixed-size chunks, never the whole file: plain text, or gzip (zlib reads a file
/// that is not gzip as it is, so one path serves both).
final class RecordingLineSource {
    /// A line longer than this is skipped, not buffered: it bounds memory on a file that is not line-based.
    /// Large enough for a 256 MiB MQTT payload in base64.
    static let defaultMaximumLineLength = 400 * 1024 * 1024

    let path: String
    private let file: gzFile
    private let maximumLineLength: Int
    private var buffer: [UInt8] = []
    /// What each read fills, allocated once.
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    private var start = 0
    private var atEnd = false
    private var discardingLongLine = false
    /// The number of the line `nextLine` returned last (1-based).
    private(set) var lineNumber = 0
    /// Set once reading failed (a gzip stream cut short): what was read before it stands.
    private(set) var readError: String?

    init(path: String, maximumLineLength: Int = RecordingLineSource.defaultMaximumLineLength) throws(RecordingFileError) {
        self.path = path
        self.maximumLineLength = maximumLineLength
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw RecordingFileError(.open, "\(path): is a directory")
        }
        guard let file = gzopen(path, "rb") else {
            throw RecordingFileError(.open, "\(path): \(String(cString: strerror(errno)))")
        }
        _ = gzbuffer(file, 256 * 1024)
        self.file = file
    }

    deinit { _ = gzclose(file) }

    /// Bytes of the file consumed so far (compressed bytes for gzip), for a progress bar.
    var fileOffset: Int64 { Int64(gzoffset(file)) }

    enum Line {
        case text([UInt8])
        /// A line over the length limit, skipped.
        case tooLong
        /// The last line had no newline: the writer was cut off in it (or the file simply ends so).
        case unterminated([UInt8])
    }

    func nextLine() -> Line? {
        while true {
            if let newline = nextNewline() {
                lineNumber += 1
                let line = Array(buffer[start..<newline])
                start = newline + 1
                if discardingLongLine {
                    discardingLongLine = false
                    return .tooLong
                }
                return .text(line)
            }
            if atEnd {
                guard start < buffer.count || discardingLongLine else { return nil }
                lineNumber += 1
                let rest = Array(buffer[start...])
                start = buffer.count
                if discardingLongLine {
                    discardingLongLine = false
                    return .tooLong
                }
                return .unterminated(rest)
            }
            fill()
        }
    }

    /// The index of the first newline at or after `start`: memchr, as a replay looks for one per message.
    private func nextNewline() -> Int? {
        buffer.withUnsafeBufferPointer { bytes in
            guard start < bytes.count, let base = bytes.baseAddress,
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private func fill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        if buffer.count > maximumLineLength {
            // Keep only the fact that this line is too long.
            discardingLongLine = true
            buffer.removeAll(keepingCapacity: true)
        }
        let read = chunk.withUnsafeMutableBufferPointer { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if read <= 0 {
            atEnd = true
            // A gzip stream cut short reads as a plain end (0) with Z_BUF_ERROR left in gzerror.
            var code: Int32 = 0
            let message = String(cString: gzerror(file, &code))
            if read < 0 || code != Z_OK { readError = message }
        } else {
            buffer.append(contentsOf: chunk[0..<Int(read)])
        }
    }
}
