#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the broker does about running as root: mosquitto, started as root, switches to the account
/// named by `user` once its listeners are bound. We cannot do that safely yet, so `user NAME` as root
/// is an error at start rather than a partial drop.
///
/// Why not: setuid() reaches the threads glibc knows to be running, but the Swift runtime parks the
/// process's main thread inside libdispatch (pthread_exit, then sigsuspend in a TSD destructor), where
/// glibc no longer signals it. That thread keeps root (measured: /proc/PID/task/PID shows uid 0 while
/// every other thread is 65534), and a thread running as root in the same address space gives an
/// attacker who gets code running in any other thread root back. A drop that leaves root behind
/// would be the silent widening the option exists to prevent.
enum RootPrivileges {
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    /// Throws when started as root with a `user` line naming another account; returns a warning
    /// for the log when running as root without one, nil otherwise. Not root: `user` is ignored,
    /// as mosquitto ignores it.
    static func check(user: String?) throws(Refusal) -> String? {
        guard geteuid() == 0 else { return nil }
        guard let user else {
            return "Warning: running as root. Run the broker as an ordinary user (systemd User=, or runuser -u mosquitto -- mqdash broker ...)."
        }
        guard user == "root" else {
            throw Refusal(description: """
                Error: "user \(user)": dropping root privileges is not supported by mqdash's broker yet. \
                Start it as \(user) instead (systemd User=\(user), or runuser -u \(user) -- mqdash broker ...; \
                AmbientCapabilities=CAP_NET_BIND_SERVICE for ports below 1024), or remove the line.
                """)
        }
        return nil
    }
}
