import Dashboard
import Glibc

/// Opt-in timing record of the UI loop for the end-to-end measurement (`MQDASH_FRAME_LOG=path`):
/// one line per flushed frame and one per key, wall-clock seconds so that a script can line them up
/// with the times it sent keys. Lines go through stdio's buffer and reach the file when the loop ends.
///
///     frame <flushed at> <render+draw ms> <messages applied so far> <events waiting> <messages skipped so far> <render ms>
///     key <read at> <flushed at> <key>      (the first frame flushed after the key was applied)
///     quit <at>                              (the loop ended)
public final class FrameLog {
    private let file: UnsafeMutablePointer<FILE>
    private var pendingKeys: [(read: Double, name: String)] = []

    /// The log named by `MQDASH_FRAME_LOG`, or nil when it is unset or cannot be opened.
    public static func fromEnvironment() -> FrameLog? {
        guard let path = getenv("MQDASH_FRAME_LOG").map({ String(cString: $0) }), !path.isEmpty,
              let file = fopen(path, "w") else { return nil }
        return FrameLog(file: file)
    }

    private init(file: UnsafeMutablePointer<FILE>) {
        self.file = file
        setvbuf(file, nil, _IOFBF, 1 << 16)
    }

    deinit { fclose(file) }

    func keyRead(_ key: Key, at time: Double) {
        // The debug description escapes control characters, so the log stays plain text.
        pendingKeys.append((time, String(describing: key).filter { $0 != " " }))
    }

    func frameFlushed(at time: Double, milliseconds: Double, messages: Int, waiting: Int, skipped: Int, renderMilliseconds: Double) {
        write("frame \(time) \(milliseconds) \(messages) \(waiting) \(skipped) \(renderMilliseconds)")
        for key in pendingKeys { write("key \(key.read) \(time) \(key.name)") }
        pendingKeys.removeAll(keepingCapacity: true)
    }

    func quit(at time: Double) {
        write("quit \(time)")
        fflush(file)
    }

    private func write(_ line: String) {
        fputs(line + "\n", file)
    }
}

