/// One remark about a configuration file, tied to the file and line it is about.
///
/// Warnings (an unknown option, an option mosquitto knows but this broker ignores) are
/// collected and parsing goes on; any error makes `BrokerConfiguration.load` throw.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case warning = "Warning"
        case error = "Error"
    }

    public var severity: Severity
    /// The path of the file as it was given (the main file, or `<include_dir>/<name>.conf`).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// The option the line sets (its first word), when there is one.
    public var option: String?
    public var message: String

    public init(severity: Severity, file: String, line: Int, option: String?, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.option = option
        self.message = message
    }

    /// `file:line: Error: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        "\(file):\(line): \(severity.rawValue): \(message)"
    }
}

/// Why a configuration could not be used: every error found (parsing goes on after the first
/// one so that a user can fix them all at once), plus the warnings seen on the way.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
