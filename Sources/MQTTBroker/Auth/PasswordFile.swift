import Foundation

/// Why a password file could not be read.
public typealias PasswordFileError = AuthFileError

/// A mosquitto password file: one `username:hash` per line (see `PasswordHash`).
///
/// Blank lines and lines starting with `#` are skipped (and kept when the file is written
/// back). A line without a `:`, with an empty user name or with a hash that is neither a valid
/// `$7$` nor `$6$` value is an error naming its line. When a user appears twice the first
/// line wins, as in mosquitto.
public struct PasswordFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var username: String
        public var hash: PasswordHash

        public init(username: String, hash: PasswordHash) {
            self.username = username
            self.hash = hash
        }
    }

    /// Lines in file order: entries, or other lines (blank, comments) kept verbatim.
    enum Line: Sendable, Equatable {
        case entry(Entry)
        case other(String)
        /// A user line whose hash could not be read, kept as it was (lenient reading only).
        case opaque(username: String, text: String)
    }

    var lines: [Line] = [] {
        didSet { index = Index(lines) }
    }

    /// Lookups a login needs, derived from `lines`.
    private var index = Index([])

    struct Index: Sendable, Equatable {
        /// Each user's hash; the first line of a user wins.
        var hashes: [String: PasswordHash] = [:]
        /// What an unknown user name is checked against: a hash of the most common kind and
        /// cost in the file (ties: the earliest), so refusing it costs what a known name costs.
        var decoy: PasswordHash

        init(_ lines: [Line]) {
            var counts: [PasswordHash: (count: Int, first: Int)] = [:]
            for case .entry(let entry) in lines {
                if hashes[entry.username] == nil { hashes[entry.username] = entry.hash }
                let standIn = entry.hash.standIn
                if let seen = counts[standIn] {
                    counts[standIn] = (seen.count + 1, seen.first)
                } else {
                    counts[standIn] = (1, counts.count)
                }
            }
            let typical = counts.max { a, b in
                a.value.count != b.value.count ? a.value.count < b.value.count : a.value.first > b.value.first
            }
            decoy = typical?.key ?? PasswordHash.defaultStandIn
        }
    }

    public init() {}

    /// Parses a whole file's text; `file` is used in error messages.
    ///
    /// With `lenient` (what `mqdash passwd` uses to edit a file, like mosquitto_passwd), a user
    /// line whose hash cannot be read is kept as it is instead of being an error; a line
    /// without `username:` is still one.
    public init(contents: String, file: String = "<password file>", lenient: Bool = false) throws(PasswordFileError) {
        var number = 0
        defer { index = Index(lines) }  // observers do not run inside an initializer
        var rawLines = contents.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if rawLines.last == "" { rawLines.removeLast() }
        for raw in rawLines {
            number += 1
            var text = Substring(raw)
            if text.hasSuffix("\r") { text = text.dropLast() }
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) || text.hasPrefix("#") {
                lines.append(.other(String(text)))
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                throw PasswordFileError(file: file, line: number, message: "Corrupt password file at line \(number): expected username:hash.")
            }
            let username = String(text[..<colon])
            guard !username.isEmpty else {
                throw PasswordFileError(file: file, line: number, message: "Corrupt password file at line \(number): empty username.")
            }
            do {
                let hash = try PasswordHash(parsing: text[text.index(after: colon)...])
                lines.append(.entry(Entry(username: username, hash: hash)))
            } catch where lenient {
                lines.append(.opaque(username: username, text: String(text)))
            } catch {
                throw PasswordFileError(file: file, line: number, message: "Invalid password hash for user \(username) at line \(number): \(error).")
            }
        }
    }

    /// Reads the file at `path`.
    public static func load(path: String, lenient: Bool = false) throws(PasswordFileError) -> PasswordFile {
        let fd = open(path, O_RDONLY)
        let reason = fd < 0 ? String(cString: strerror(errno)) : ""
        if fd >= 0 { close(fd) }
        guard fd >= 0, let data = FileManager.default.contents(atPath: path) else {
            throw PasswordFileError(file: path, line: 0, message: "Unable to open password file \(path). \(reason).")
        }
        return try PasswordFile(contents: String(decoding: data, as: UTF8.self), file: path, lenient: lenient)
    }

    /// Every user name in the file, including lines kept opaque.
    public var allUsernames: [String] {
        lines.compactMap {
            switch $0 {
            case .entry(let entry): return entry.username
            case .opaque(let username, _): return username
            case .other: return nil
            }
        }
    }

    /// The users, in file order.
    public var entries: [Entry] {
        lines.compactMap { if case .entry(let entry) = $0 { return entry } else { return nil } }
    }

    public var usernames: [String] { entries.map(\.username) }

    public func hash(for username: String) -> PasswordHash? {
        index.hashes[username]
    }

    /// Whether `username` is in the file with this password. An unknown user name runs the
    /// same hash function at the same cost as the file's typical entry (a dictionary lookup
    /// finds either), so timing does not tell which user names exist.
    public func verify(username: String, password: String) -> Bool {
        verify(username: username, password: Array(password.utf8))
    }

    /// `verify(username:password:)` for a password given as bytes, as MQTT carries it.
    public func verify(username: String, password: [UInt8]) -> Bool {
        verify(username: username, password: password) { $0.verify(password: $1) }
    }

    /// The decision with the hashing handed in, so tests can see which hash a login runs.
    func verify(username: String, password: [UInt8], hashing: (PasswordHash, [UInt8]) -> Bool) -> Bool {
        guard let hash = hash(for: username) else {
            _ = hashing(index.decoy, password)
            return false
        }
        return hashing(hash, password)
    }

    /// Sets the password of `username`, replacing its line in place or adding one at the end.
    public mutating func setPassword(_ password: String, for username: String) {
        setHash(PasswordHash.make(password: password), for: username)
    }

    public mutating func setHash(_ hash: PasswordHash, for username: String) {
        if let index = lines.firstIndex(where: { Self.username(of: $0) == username }) {
            lines[index] = .entry(Entry(username: username, hash: hash))
        } else {
            lines.append(.entry(Entry(username: username, hash: hash)))
        }
    }

    /// Removes every line of `username`; false when there was none.
    @discardableResult
    public mutating func remove(username: String) -> Bool {
        let before = lines.count
        lines.removeAll { Self.username(of: $0) == username }
        return lines.count != before
    }

    static func username(of line: Line) -> String? {
        switch line {
        case .entry(let entry): return entry.username
        case .opaque(let username, _): return username
        case .other: return nil
        }
    }

    /// The file's text, one line per entry, each ending in a newline.
    public var serialized: String {
        var text = ""
        for line in lines {
            switch line {
            case .entry(let entry): text += "\(entry.username):\(entry.hash.encoded)\n"
            case .other(let other): text += other + "\n"
            case .opaque(_, let line): text += line + "\n"
            }
        }
        return text
    }

    /// Writes the file through `FileReplacement`: an existing file keeps its owner, group and
    /// mode, a new one is readable and writable by its owner only (0600).
    public func write(to path: String) throws(PasswordFileError) {
        try Self.writeText(serialized, to: path)
    }

    static func writeText(_ text: String, to path: String) throws(PasswordFileError) {
        try FileReplacement.write(text, to: path)
    }
}
