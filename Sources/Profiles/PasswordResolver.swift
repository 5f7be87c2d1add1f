#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Turns a profile's `PasswordSource` into the password, at connect time only (a listing never runs a command).
public struct PasswordResolver: Sendable {
    public var environment: [String: String]
    /// How long `password_command` may take: `pass` may ask for a GPG passphrase, which the user must see
    /// and answer, so this is generous; a command that hangs still ends with an error.
    public var timeout: Duration

    public init(environment: [String: String], timeout: Duration = .seconds(30)) {
        self.environment = environment
        self.timeout = timeout
    }

    public func password(of profile: ConnectionProfile) throws(ProfileError) -> String? {
        let place = "profile \(profile.name)"
        switch profile.password {
        case nil:
            return nil
        case .literal(let text):
            return text
        case .environment(let name):
            guard let value = environment[name] else {
                throw ProfileError(file: profile.file, line: profile.line, key: "password_env",
                                   "\(place): password_env names \(name), which is not set")
            }
            return value
        case .command(let command):
            do {
                return try PasswordCommand(command).run(timeout: timeout, environment: environment)
            } catch {
                throw ProfileError(file: profile.file, line: profile.line, key: "password_command",
                                   "\(place): password_command \"\(command)\" \(error.reason)")
            }
        }
    }
}

/// `password_command`, split into words as a shell would for plain words and quotes, but run without one:
/// no expansion, no pipes, nothing the user did not write.
struct PasswordCommand {
    struct Failure: Error { var reason: String }

    let arguments: [String]

    init(_ command: String) { arguments = Self.words(command) }

    /// Words separated by blanks; '...' and "..." group (with \" and \\ inside double quotes), \ escapes outside.
    static func words(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in command {
            if escaped {
                current.append(character)
                escaped = false
            } else if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    current.append(character)
                }
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == "\\" {
                escaped = true
                inWord = true
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The first line of the command's standard output. Its standard input and error stay the terminal's,
    /// so that `pass` can ask for a passphrase.
    func run(timeout: Duration, environment: [String: String]) throws(Failure) -> String {
        guard let program = arguments.first else { throw Failure(reason: "is empty") }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
        } else {
            guard let path = Self.find(program, path: environment["PATH"] ?? "/usr/bin:/bin") else {
                throw Failure(reason: "failed: \(program) not found in PATH")
            }
            process.executableURL = URL(fileURLWithPath: path)
        }
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do { try process.run() } catch { throw Failure(reason: "could not start: \(error.localizedDescription)") }

        // Read while it runs: a command writing more than a pipe holds would otherwise never end.
        let collected = OutputCollector()
        let reading = Thread { collected.data = output.fileHandleForReading.readDataToEndOfFile() }
        reading.start()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            throw Failure(reason: "did not finish within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s")
        }
        collected.done.wait()
        if process.terminationReason == .uncaughtSignal {
            throw Failure(reason: "was killed by signal \(process.terminationStatus)")
        }
        guard process.terminationStatus == 0 else { throw Failure(reason: "failed with exit code \(process.terminationStatus)") }
        let text = String(decoding: collected.data, as: UTF8.self)
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let password = firstLine.hasSuffix("\r") ? String(firstLine.dropLast()) : firstLine
        guard !password.isEmpty else { throw Failure(reason: "printed no password") }
        return password
    }

    private static func find(_ program: String, path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// The reading thread's result, handed over once it is done.
private final class OutputCollector: @unchecked Sendable {
    var data = Data() { didSet { done.signal() } }
    let done = DispatchSemaphore(value: 0)
}
