/// A recording read as a stream of messages: its header (if any) first, then each message with its line number;
/// lines that are not records are skipped and remembered for the report at the end.
public final class RecordingReader {
    public struct SkippedLine: Sendable, Hashable, CustomStringConvertible {
        public var lineNumber: Int
        public var reason: String
        public var description: String { "line \(lineNumber): \(reason)" }
    }

    /// Only the first this many skipped lines are kept (all are counted): a huge bad file must not fill memory.
    public static let keptSkippedLines = 100

    private let source: RecordingLineSource
    public private(set) var header: RecordingHeader?
    public private(set) var skippedCount = 0
    public private(set) var skipped: [SkippedLine] = []
    public private(set) var messagesRead = 0

    public init(path: String) throws(RecordingFileError) {
        source = try RecordingLineSource(path: path)
    }

    init(path: String, maximumLineLength: Int) throws(RecordingFileError) {
        source = try RecordingLineSource(path: path, maximumLineLength: maximumLineLength)
    }

    public var path: String { source.path }
    /// Bytes of the file consumed so far (compressed bytes for gzip).
    public var fileOffset: Int64 { source.fileOffset }
    /// A gzip stream that ended early or was damaged: the messages before it were read.
    public var readError: String? { source.readError }

    /// The next message and its line number, or nil at the end of the file.
    public func next() -> (lineNumber: Int, message: RecordedMessage)? {
        while let line = source.nextLine() {
            let bytes: [UInt8]
            var unterminated = false
            switch line {
            case .tooLong:
                skip("longer than \(RecordingLineSource.defaultMaximumLineLength) bytes")
                continue
            case .text(let text): bytes = text
            case .unterminated(let text):
                bytes = text
                unterminated = true
            }
            do {
                switch try RecordLineDecoder.decode(bytes) {
                case .blank: continue
                case .header(let header):
                    if self.header == nil && messagesRead == 0 { self.header = header }
                case .message(let message):
                    messagesRead += 1
                    return (source.lineNumber, message)
                }
            } catch {
                // A line cut by a crash has no newline; say so rather than only "truncated JSON".
                skip(unterminated ? "\(error.reason), at the end of the file without a newline (cut off?)" : error.reason)
            }
        }
        return nil
    }

    private func skip(_ reason: String) {
        skippedCount += 1
        if skipped.count < Self.keptSkippedLines { skipped.append(SkippedLine(lineNumber: source.lineNumber, reason: reason)) }
    }
}
