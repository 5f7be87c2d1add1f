import Foundation

/// The logic of `mqdash passwd`, a mosquitto_passwd work-alike, kept apart from the terminal
/// so tests can drive it: arguments in, prompts and messages out through `io`, an exit code back.
///
/// Usage (as mosquitto_passwd 2.0):
///
///     passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username
///     passwd [-H sha512 | -H sha512-pbkdf2] [-c] -b passwordfile username password
///     passwd -U passwordfile
///
/// Messages and exit codes are mosquitto_passwd's (checked against 2.0.11): errors go to
/// stderr and exit 1; "Error: Passwords do not match." exits 2; a wrong argument count prints
/// the usage to stdout and exits 1. Every write replaces the file through `FileReplacement`
/// (an exclusively created temporary file, renamed): a new file is 0600, an existing one keeps
/// its owner, group and mode.
///
/// Differences, on purpose: extra positional arguments print the usage (mosquitto_passwd
/// ignores them); an empty user name is refused (mosquitto_passwd writes a line that it then
/// calls corrupt); `-U` leaves lines that already hold a `$6$`/`$7$` hash alone instead of
/// hashing the hash again.
public struct PasswdTool {
    /// Where the tool reads and writes; the real terminal by default.
    public struct IO {
        public var out: (String) -> Void
        public var err: (String) -> Void
        /// Reads one line (without its newline) with echo off when it is a terminal; nil at EOF.
        public var readPassword: () -> String?

        public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, readPassword: @escaping () -> String?) {
            self.out = out
            self.err = err
            self.readPassword = readPassword
        }
    }

    public enum HashType: String, Sendable {
        case sha512 = "sha512"
        case pbkdf2 = "sha512-pbkdf2"
    }

    public static let usage = """
        mqdash passwd is a tool for managing password files for mosquitto.

        Usage: mqdash passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username
               mqdash passwd [-H sha512 | -H sha512-pbkdf2] [-c] -b passwordfile username password
               mqdash passwd -U passwordfile
         -b : run in batch mode to allow passing passwords on the command line.
         -c : create a new password file. This will overwrite existing files.
         -D : delete the username rather than adding/updating its password.
         -H : specify the hashing algorithm. Defaults to sha512-pbkdf2, which is recommended.
              Mosquitto 1.6 and earlier defaulted to sha512.
         -U : update a plain text password file to use hashed passwords.

        See https://mosquitto.org/ for more information.

        """

    var io: IO

    public init(io: IO) {
        self.io = io
    }

    /// Runs with `arguments` (not including the program or subcommand name); returns the exit code.
    public func run(_ arguments: [String]) -> Int32 {
        var create = false, batch = false, delete = false, update = false
        var hashType = HashType.pbkdf2
        var positional: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "-c": create = true
            case "-b": batch = true
            case "-D": delete = true
            case "-U": update = true
            case "-H":
                guard index + 1 < arguments.count, arguments.count - index - 2 >= 1 else {
                    io.err("Error: -H argument given but not enough other arguments.\n")
                    return 1
                }
                index += 1
                guard let type = HashType(rawValue: arguments[index]) else {
                    io.err("Error: Unknown hash type '\(arguments[index])'\n")
                    return 1
                }
                hashType = type
            default:
                if argument.hasPrefix("-") && argument.count > 1 && positional.isEmpty {
                    io.out(Self.usage)
                    return 1
                }
                positional.append(argument)
            }
            index += 1
        }

        if create && delete {
            io.err("Error: -c and -D cannot be used together.\n")
            return 1
        }
        if create && update {
            io.err("Error: -c and -U cannot be used together.\n")
            return 1
        }
        if batch && delete {
            io.err("Error: -b and -D cannot be used together.\n")
            return 1
        }
        if update {
            guard positional.count == 1 && !batch else {
                io.err("Error: -U argument given but password file missing.\n")
                return 1
            }
            return updatePlainText(path: positional[0], hashType: hashType)
        }
        if delete {
            guard positional.count == 2 else {
                io.err("Error: -D argument given but password file or username missing.\n")
                return 1
            }
            return deleteUser(path: positional[0], username: positional[1])
        }
        guard positional.count == (batch ? 3 : 2) else {
            io.out(Self.usage)
            return 1
        }
        let path = positional[0]
        let username = positional[1]
        if username.contains(":") {
            io.err("Error: Username must not contain the ':' character.\n")
            return 1
        }
        if username.isEmpty {
            io.err("Error: Username must not be empty.\n")
            return 1
        }
        if username.utf8.count > 65535 {
            io.err("Error: Username must be less than 65536 characters long.\n")
            return 1
        }

        // Read the existing file before asking, so a missing file fails early (as mosquitto_passwd).
        var file = PasswordFile()
        if !create {
            do {
                file = try PasswordFile.load(path: path, lenient: true)
            } catch {
                io.err(Self.loadMessage(error) + "\n")
                return 1
            }
        }

        let password: String
        if batch {
            password = positional[2]
        } else {
            switch askPassword() {
            case .success(let entered): password = entered
            case .failure(let code): return code
            }
        }
        file.setHash(Self.hash(password, type: hashType), for: username)
        return save(file, to: path)
    }

    enum Asked {
        case success(String)
        case failure(Int32)
    }

    func askPassword() -> Asked {
        io.out("Password: ")
        guard let first = io.readPassword(), !first.isEmpty else {
            io.err("Error: Empty password.\n")
            return .failure(1)
        }
        io.out("\n")
        io.out("Reenter password: ")
        guard let second = io.readPassword(), !second.isEmpty else {
            io.err("Error: Empty password.\n")
            return .failure(1)
        }
        io.out("\n")
        guard first == second else {
            io.err("Error: Passwords do not match.\n")
            return .failure(2)
        }
        return .success(first)
    }

    static func hash(_ password: String, type: HashType) -> PasswordHash {
        switch type {
        case .pbkdf2:
            return PasswordHash.make(password: password)
        case .sha512:
            return PasswordHash.makeSHA512(password: password)
        }
    }

    func deleteUser(path: String, username: String) -> Int32 {
        var file: PasswordFile
        do {
            file = try PasswordFile.load(path: path, lenient: true)
        } catch {
            io.err(Self.loadMessage(error) + "\n")
            return 1
        }
        guard file.remove(username: username) else {
            io.err("Warning: User \(username) not found in password file.\n")
            return 1
        }
        return save(file, to: path)
    }

    func updatePlainText(path: String, hashType: HashType) -> Int32 {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            io.err("Error: Unable to open password file \(path). \(String(cString: strerror(errno))).\n")
            return 1
        }
        close(fd)
        guard let data = FileManager.default.contents(atPath: path) else {
            io.err("Error: Unable to open password file \(path).\n")
            return 1
        }
        var output = ""
        var number = 0
        var rawLines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if rawLines.last == "" { rawLines.removeLast() }
        for raw in rawLines {
            number += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") {
                output += line + "\n"
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                io.err("Error: Corrupt password file at line \(number).\n")
                return 1
            }
            let username = line[..<colon]
            let secret = line[line.index(after: colon)...]
            if (try? PasswordHash(parsing: secret)) != nil {
                output += line + "\n"
            } else {
                output += "\(username):\(Self.hash(String(secret), type: hashType).encoded)\n"
            }
        }
        do {
            try PasswordFile.writeText(output, to: path)
        } catch {
            io.err("Error: \(error.message)\n")
            return 1
        }
        return 0
    }

    func save(_ file: PasswordFile, to path: String) -> Int32 {
        do {
            try file.write(to: path)
            return 0
        } catch {
            io.err("Error: \(error.message)\n")
            return 1
        }
    }

    static func loadMessage(_ error: PasswordFileError) -> String {
        error.line > 0 ? "Error: Corrupt password file at line \(error.line)." : "Error: \(error.message)"
    }
}

extension PasswdTool.IO {
    /// stdout/stderr of the process, and passwords read from stdin with echo turned off when
    /// stdin is a terminal.
    public static var terminal: PasswdTool.IO {
        PasswdTool.IO(
            out: { text in
                FileHandle.standardOutput.write(Data(text.utf8))
            },
            err: { text in
                FileHandle.standardError.write(Data(text.utf8))
            },
            readPassword: {
                let isTerminal = isatty(STDIN_FILENO) == 1
                var saved = termios()
                if isTerminal {
                    tcgetattr(STDIN_FILENO, &saved)
                    var quiet = saved
                    quiet.c_lflag &= ~tcflag_t(ECHO)
                    tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
                }
                defer {
                    if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
                }
                return readLine(strippingNewline: true)
            })
    }
}

extension PasswordHash {
    /// A new `$6$` hash (SHA-512 of password and a 12-byte random salt), as
    /// `mosquitto_passwd -H sha512` writes it.
    public static func makeSHA512(password: String, saltLength: Int = defaultSaltLength) -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return .sha512(salt: salt, hash: sha512Digest(password: Array(password.utf8), salt: salt))
    }
}
