import Foundation

/// Replaces a file the way an editor of security files must. The new text goes to a fresh file
/// in the same folder, created exclusively (`O_CREAT | O_EXCL`: a file or link planted at its
/// name is never opened, a taken name is skipped), given the old file's owner, group and mode,
/// synced, then renamed over the old one: readers see the old file or the new one, never a mix,
/// and an administrator's `chown mosquitto` / `chmod 640` survive the edit.
///
/// A new file (or a path holding something other than a regular file, such as a symbolic link,
/// which is replaced rather than followed) gets mode 0600 and the caller's owner.
enum FileReplacement {
    /// Random names that are all taken mean something is wrong (or racing us); stop then.
    static let attempts = 100

    /// `.<name>.<12 random letters and digits>`, hidden next to the file it replaces.
    static func randomName(for path: String) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        let suffix = String((0..<12).map { _ in alphabet.randomElement(using: &generator)! })
        return ".\(split(path).name).\(suffix)"
    }

    /// The folder and the file name of `path`, split on its last `/` by hand: Foundation's
    /// `deletingLastPathComponent` traps (SIGILL) on a one-character name such as `y`.
    /// A bare name lives in "."; a name right under the root in "/".
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// Replaces `path` with `text`. `temporaryName` hands out candidate names (tests choose them).
    static func write(_ text: String, to path: String, temporaryName: (() -> String)? = nil) throws(AuthFileError) {
        let nextName = temporaryName ?? { randomName(for: path) }
        let folder = split(path).folder
        let kept = ownerAndMode(of: path)

        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<attempts {
            temporary = folder + "/" + nextName()
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            let reason = errno == EEXIST ? "No free temporary file name in \(folder) after \(attempts) tries" : Self.reason()
            throw failure(path, "Unable to open file \(path) for writing. \(reason).")
        }
        do throws(AuthFileError) {
            try writeAll(Array(text.utf8), to: fd, path: path)
            // fchown before fchmod: changing the owner may clear set-id bits.
            if let kept, fchown(fd, kept.owner, kept.group) != 0 {
                throw failure(path, "Unable to keep the owner \(kept.owner):\(kept.group) of \(path). \(Self.reason()).")
            }
            if fchmod(fd, kept?.mode ?? 0o600) != 0 {
                throw failure(path, "Unable to keep the mode of \(path). \(Self.reason()).")
            }
            if fsync(fd) != 0 {
                throw failure(path, "Unable to write file \(path). \(Self.reason()).")
            }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = Self.reason()
            unlink(temporary)
            throw failure(path, "Unable to replace file \(path). \(reason).")
        }
        syncFolder(folder)
    }

    /// The owner, group and permission bits of a regular file at `path`; nil for anything else.
    private static func ownerAndMode(of path: String) -> (owner: uid_t, group: gid_t, mode: mode_t)? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return (info.st_uid, info.st_gid, info.st_mode & 0o7777)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(AuthFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path, "Unable to write file \(path). \(reason()).")
            }
            offset += written
        }
    }

    /// Makes the rename itself durable; a folder that cannot be synced still holds the new file.
    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    private static func failure(_ path: String, _ message: String) -> AuthFileError {
        AuthFileError(file: path, line: 0, message: message)
    }
}
