import CNcursesw
import DashboardApp
import Dispatch
import Glibc
import Synchronization

/// Puts the terminal back on every way out: `endwin()` on a normal end (and from `atexit`),
/// SIGINT/SIGTERM/SIGHUP turned into an orderly stop of the UI loop (with a forced restore if the loop
/// does not stop within a second), and on a crash (SIGSEGV, SIGILL from a Swift trap, SIGABRT, ...)
/// the saved termios plus the escape sequences that undo mouse, paste and the alternate screen,
/// written with async-signal-safe calls before the signal is re-raised.
enum TerminalRestore {
    /// Whether curses is started and not yet ended.
    static let active = Atomic<Bool>(false)
    /// The first stop signal received, 0 when none.
    static let stopSignal = Atomic<Int32>(0)

    nonisolated(unsafe) private static var savedTermios = termios()
    nonisolated(unsafe) private static var haveTermios = false
    nonisolated(unsafe) private static var resetSequence: UnsafeMutableBufferPointer<UInt8>?
    nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
    nonisolated(unsafe) private static var installed = false
    /// Runs the orderly `endwin()`; set by the terminal that is active.
    nonisolated(unsafe) static var endCurses: (() -> Void)?

    /// Call before curses starts: saves termios and installs the handlers (once).
    static func install() {
        haveTermios = tcgetattr(STDIN_FILENO, &savedTermios) == 0
        guard !installed else { return }
        installed = true
        let text = "\u{1b}[?1000l\u{1b}[?1002l\u{1b}[?1003l\u{1b}[?1006l\u{1b}[?2004l\u{1b}[0m\u{1b}[?25h\u{1b}[?1049l\r\n"
        let bytes = Array(text.utf8)
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = storage.initialize(from: bytes)
        resetSequence = storage

        atexit { TerminalRestore.orderlyRestore() }

        let queue = DispatchQueue(label: "mqdash.signals")
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            let source = ProcessSignal.handle(signalNumber, on: queue) {
                _ = stopSignal.compareExchange(expected: 0, desired: signalNumber, ordering: .sequentiallyConsistent)
                guard active.load(ordering: .sequentiallyConsistent) else {
                    // Not in the UI (yet or any more): restore what may be there and leave.
                    emergencyRestore()
                    _exit(128 + signalNumber)
                }
                // The UI loop sees the flag within one key timeout; if it is stuck, do it here.
                DispatchQueue.global().asyncAfter(deadline: .now() + 1) {
                    emergencyRestore()
                    _exit(128 + signalNumber)
                }
            }
            signalSources.append(source)
        }
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(signalNumber) { caught in
                TerminalRestore.emergencyRestore()
                signal(caught, SIG_DFL)
                raise(caught)
            }
        }
    }

    /// The normal path: `endwin()` once, on the UI thread or from `atexit`.
    static func orderlyRestore() {
        guard active.exchange(false, ordering: .sequentiallyConsistent) else { return }
        endCurses?()
    }

    /// Async-signal-safe: termios and escape sequences only, no curses.
    static func emergencyRestore() {
        guard active.exchange(false, ordering: .sequentiallyConsistent) else { return }
        if let resetSequence { _ = write(STDOUT_FILENO, resetSequence.baseAddress, resetSequence.count) }
        if haveTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTermios) }
    }
}
