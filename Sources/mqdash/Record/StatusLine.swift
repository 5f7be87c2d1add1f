import Foundation

/// One line on stderr rewritten in place (`\r`), for the live counters of `record` and `replay`; nothing at all
/// when stderr is not a terminal, so logs and pipes stay clean.
final class StatusLine: Sendable {
    let isEnabled: Bool
    private let width = SharedWidth()

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { isEnabled = enabled }

    func show(_ text: String) {
        guard isEnabled else { return }
        let previous = width.swap(text.count)
        // Blanks over the rest of a longer previous line: no escape sequences needed.
        let padding = String(repeating: " ", count: max(0, previous - text.count))
        FileHandle.standardError.write(Data(("\r" + text + padding).utf8))
    }

    /// Ends the line, so what follows starts on a fresh one.
    func end() {
        guard isEnabled, width.swap(0) > 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// The width of the line on screen, shared by the tasks that update it.
private final class SharedWidth: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func swap(_ new: Int) -> Int {
        lock.withLock {
            defer { value = new }
            return value
        }
    }
}
