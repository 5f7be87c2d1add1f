import Foundation

/// Log lines in mosquitto's shape ("1732573200: New connection from 127.0.0.1:50312 on port 1883."),
/// filtered by `log_type` and written to every `log_dest`. Lines are small and rare next to
/// messages, so each is written at once: a crash never loses the line that explains it.
///
/// Lines carry what clients chose (client ids, user names, topics), so every control character
/// is escaped before a line goes anywhere: a client id cannot end a line and forge the next one,
/// nor send escape sequences to the terminal that shows the log.
public final class BrokerLog: @unchecked Sendable {
    public typealias LogType = BrokerConfiguration.LogType

    private let types: Set<LogType>
    private let timestamps: Bool
    private let lock = NSLock()
    private var sinks: [FileHandle]
    /// Extra receivers (the dashboard's embedded broker shows lines in its own status instead of stderr).
    private let observer: (@Sendable (LogType, String) -> Void)?

    /// Opens every destination; a log file that cannot be opened is an error naming it.
    public init(configuration: BrokerConfiguration, verbose: Bool,
                observer: (@Sendable (LogType, String) -> Void)? = nil) throws {
        types = verbose ? Set(LogType.allCases) : configuration.logTypes
        timestamps = configuration.logTimestamp
        self.observer = observer
        var sinks: [FileHandle] = []
        for destination in configuration.logDestinations {
            switch destination {
            case .stdout: sinks.append(.standardOutput)
            case .stderr: sinks.append(.standardError)
            case .file(let path): sinks.append(try Self.openForAppending(path))
            case .syslog, .topic, .dlt: break
            }
        }
        self.sinks = sinks
    }

    /// A log that writes nowhere but to `observer`.
    public init(types: Set<LogType> = Set(LogType.allCases), observer: (@Sendable (LogType, String) -> Void)?) {
        self.types = types
        timestamps = true
        sinks = []
        self.observer = observer
    }

    public func isEnabled(_ type: LogType) -> Bool { types.contains(type) }

    public func log(_ type: LogType, _ message: @autoclosure () -> String) {
        guard types.contains(type) else { return }
        let text = Self.escapingControlCharacters(message())
        observer?(type, text)
        guard !sinks.isEmpty else { return }
        let line = (timestamps ? "\(Int(Date().timeIntervalSince1970)): " : "") + text + "\n"
        let data = Data(line.utf8)
        lock.lock()
        defer { lock.unlock() }
        for sink in sinks { try? sink.write(contentsOf: data) }
    }

    /// `text` with each control character written out: `\n`, `\r`, `\t`, other C0 and DEL as
    /// `\x1b`, C1 (U+0080-U+009F) as `\u{85}`. Everything else, backslashes included, is kept:
    /// the point is that nothing a client sends can act on the reader, not reversibility.
    static func escapingControlCharacters(_ text: String) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                escaped.append(scalar)
                continue
            }
            let written: String
            switch scalar.value {
            case 0x0A: written = "\\n"
            case 0x0D: written = "\\r"
            case 0x09: written = "\\t"
            case 0x80...: written = "\\u{\(String(scalar.value, radix: 16))}"
            default: written = "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            }
            escaped.append(contentsOf: written.unicodeScalars)
        }
        return String(escaped)
    }

    private static func openForAppending(_ path: String) throws -> FileHandle {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw BrokerStartError.logFile(path: path, reason: "cannot create it (does the folder exist and is it writable?)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw BrokerStartError.logFile(path: path, reason: "cannot open it for writing")
        }
        handle.seekToEndOfFile()
        return handle
    }
}
