#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `user NAME`: a broker started as root gives root up once its listeners are bound (ports below
/// 1024 need root; nothing after that does), as mosquitto does. The files it needs (password, ACL,
/// log, database) are open by then.
///
/// Unlike mosquitto, no `user` line means no drop (mosquitto falls back to the account "mosquitto"):
/// `mqdash --broker` runs inside the dashboard, whose process must not change identity unasked. A
/// root broker without `user` is warned about instead. A drop that fails stops the broker: running
/// on as root would be the silent widening of access that the option exists to prevent.
enum PrivilegeDrop {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Switches groups and user to `name` when running as root and `name` is not root; returns what
    /// happened, for the log, or nil when nothing needed doing.
    static func drop(to name: String?) throws(Failure) -> String? {
        guard geteuid() == 0 else { return nil }
        guard let name, name != "root" else {
            return name == nil ? "Warning: running as root; a \"user\" line in the configuration drops privileges after start." : nil
        }
        guard let entry = getpwnam(name) else {
            throw Failure(description: "Error: Unable to drop privileges to '\(name)': no such user. Create it or change the \"user\" line.")
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        // Supplementary groups first, then the group, then the user: after setuid nothing else may change.
        guard initgroups(name, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw Failure(description: "Error: Unable to drop privileges to '\(name)': \(String(cString: strerror(errno))).")
        }
        guard setuid(0) != 0 else {
            throw Failure(description: "Error: Unable to drop privileges to '\(name)': root could be regained.")
        }
        return "Dropped privileges to user \(name) (uid \(uid), gid \(gid))."
    }
}
