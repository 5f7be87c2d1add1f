/// Why the broker could not start; each says what to do about it.
public enum BrokerStartError: Error, Sendable, CustomStringConvertible {
    case logFile(path: String, reason: String)
    case pidFile(path: String, reason: String)
    case security(String)
    case persistence(String)
    case noListener
    case privileges(String)
    case metrics(String)

    public var description: String {
        switch self {
        case .logFile(let path, let reason): "Error: Unable to open log file \(path): \(reason)."
        case .pidFile(let path, let reason): "Error: Unable to write pid file \(path): \(reason)."
        case .security(let text): text.hasPrefix("Error:") ? text : "Error: \(text)"
        case .persistence(let text): "Error: persistence: \(text)"
        case .noListener: "Error: no listener could be opened."
        case .privileges(let text): text
        case .metrics(let text): "Error: \(text)."
        }
    }
}
