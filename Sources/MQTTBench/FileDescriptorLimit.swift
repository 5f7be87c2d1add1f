#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
private let noFileResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#else
private let noFileResource = RLIMIT_NOFILE
#endif

/// Every connection is a file descriptor: check RLIMIT_NOFILE before opening thousands of them.
enum FileDescriptorLimit {
    /// Descriptors the process needs besides its connections (stdio, event loops, TLS files, ...).
    static let reserve = 64

    enum Plan: Equatable {
        /// The soft limit already fits.
        case enough
        /// Raise the soft limit to this (the hard limit).
        case raise(to: UInt64)
        /// Not even the hard limit fits; `available` connections would.
        case tooFew(available: UInt64, hardLimit: UInt64)
    }

    static func plan(connections: Int, soft: UInt64, hard: UInt64) -> Plan {
        let needed = UInt64(connections + reserve)
        if needed <= soft { return .enough }
        if needed <= hard { return .raise(to: hard) }
        return .tooFew(available: hard > UInt64(reserve) ? hard - UInt64(reserve) : 0, hardLimit: hard)
    }

    /// Makes room for `connections`, raising the soft limit when needed, or explains why it cannot.
    static func ensureRoom(for connections: Int) throws {
        var limit = rlimit()
        guard getrlimit(noFileResource, &limit) == 0 else { return }
        switch plan(connections: connections, soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max)) {
        case .enough:
            return
        case .raise(let target):
            limit.rlim_cur = rlim_t(target)
            guard setrlimit(noFileResource, &limit) == 0 else {
                throw BenchError.setup(
                    "\(connections) connections need \(connections + reserve) file descriptors; the limit is \(limit.rlim_cur) and could not be raised (\(String(cString: strerror(errno))))")
            }
        case .tooFew(let available, let hard):
            throw BenchError.setup(
                "\(connections) connections need \(connections + reserve) file descriptors, but the hard limit is \(hard) (room for \(available)); raise it (ulimit -Hn, or LimitNOFILE) or use fewer connections")
        }
    }
}
