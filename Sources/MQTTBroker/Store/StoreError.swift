import GRDB

/// Why the persistence database could not be opened, read or written; always names the file.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "Persistence database \(path): \(reason)" }

    /// Turns an SQLite error into words a broker operator can act on.
    init(path: String, _ error: any Error) {
        self.path = path
        guard let error = error as? DatabaseError else {
            reason = "\(error)"
            return
        }
        switch error.resultCode {
        case .SQLITE_NOTADB:
            reason = "not an SQLite database (a mosquitto persistence file or some other file?); move it away or set persistence_file"
        case .SQLITE_CORRUPT:
            reason = "the database is corrupt (\(error.message ?? "no detail")); move it away to start afresh"
        case .SQLITE_CANTOPEN:
            reason = "cannot open or create the file; check that its folder exists and is writable"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            reason = "the file or its folder is not writable"
        case .SQLITE_FULL:
            reason = "the disk is full"
        case .SQLITE_IOERR:
            reason = "input/output error (\(error.message ?? "no detail"))"
        default:
            reason = error.message ?? "\(error)"
        }
    }
}
