import CNcursesw
import Dashboard
import DashboardApp
import Glibc

/// Why the dashboard cannot start on this terminal; the message is one line for stderr.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public let description: String
}

/// The curses backend: starts and ends curses, draws buffer diffs, reads input. Use it from one
/// thread only (the UI thread); nothing else may call curses.
public final class CursesTerminal: Terminal {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var output: UnsafeMutablePointer<FILE>?
    private var previous: Buffer?
    private let capability: ColorCapability
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maximumPairs: Int32
    private var definedColors: [ColorMapping.Resolved: Int32] = [:]
    private var nextColor: Int32 = 256
    private let maximumColors: Int32
    var input = InputDecoder()
    /// Key waits that ended at once with nothing read, in a row: a sign that the terminal is gone.
    private var immediateTimeouts = 0
    /// The terminal hung up (input at EOF) without a SIGHUP reaching us.
    public private(set) var isHungUp = false

    /// The first SIGINT, SIGTERM or SIGHUP received (see `TerminalRestore`), or SIGHUP for a hang-up.
    public var stopSignal: Int32? {
        let signal = TerminalRestore.stopSignal.load(ordering: .relaxed)
        if signal != 0 { return signal }
        return isHungUp ? SIGHUP : nil
    }

    /// Bytes wait on the terminal's input (one `poll` that does not wait). `readEvents` takes everything curses
    /// has, so nothing is left in curses' own buffer between two reads.
    public var hasInput: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Starts curses on stdin/stdout. `useColor: false` (NO_COLOR) draws attributes only.
    public init(useColor: Bool = true) throws {
        guard isatty(STDOUT_FILENO) == 1 else { throw TerminalUnavailable(description: "mqdash: standard output is not a terminal; the dashboard needs one (use 'mqdash sub' for plain output)") }
        guard isatty(STDIN_FILENO) == 1 else { throw TerminalUnavailable(description: "mqdash: standard input is not a terminal; the dashboard needs one") }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard !term.isEmpty else { throw TerminalUnavailable(description: "mqdash: TERM is not set; set it to your terminal's type (e.g. xterm-256color)") }

        setlocale(LC_ALL, "")
        if mqd_locale_is_utf8() == 0 {
            // Non-ASCII text vanishes without a UTF-8 locale; C.UTF-8 is always there on Debian.
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        TerminalRestore.install()
        guard let output = fdopen(STDOUT_FILENO, "w"), let inputFile = fdopen(STDIN_FILENO, "r") else {
            throw TerminalUnavailable(description: "mqdash: cannot open the terminal")
        }
        guard let screen = newterm(nil, output, inputFile) else {
            throw TerminalUnavailable(description: "mqdash: terminal type '\(term)' is unknown to terminfo; set TERM to a known type (e.g. xterm-256color)")
        }
        self.screen = screen
        self.output = output
        TerminalRestore.endCurses = { endwin() }
        TerminalRestore.active.store(true, ordering: .sequentiallyConsistent)
        guard mqd_has_cursor_addressing() != 0 else {
            TerminalRestore.orderlyRestore()
            delscreen(screen)
            self.screen = nil
            throw TerminalUnavailable(description: "mqdash: terminal type '\(term)' cannot move the cursor; the dashboard needs a full-screen terminal")
        }
        let window = mqd_stdscr()
        self.window = window
        raw()
        noecho()
        nonl()
        keypad(window, true)
        leaveok(window, true)
        set_escdelay(25)
        curs_set(0)
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            capability = ColorCapability.from(colors: Int(mqd_colors()), canChangeColor: can_change_color())
        } else {
            capability = .none
        }
        maximumPairs = mqd_color_pairs()
        maximumColors = mqd_colors()
        mousemask(mqd_button1_pressed() | mqd_button4_pressed() | mqd_button5_pressed(), nil)
        mouseinterval(0)
        // Bracketed paste: the terminal wraps pasted text in ESC[200~ ... ESC[201~, which we name as keys.
        define_key("\u{1b}[200~", InputDecoder.pasteStartKey)
        define_key("\u{1b}[201~", InputDecoder.pasteEndKey)
        fputs("\u{1b}[?2004h", output)
        fflush(output)
    }

    deinit { end() }

    /// The terminal's size now.
    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        mqd_getmaxyx(window, &rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Ends curses and restores the terminal; safe to call more than once.
    public func end() {
        guard let screen else { return }
        if TerminalRestore.active.load(ordering: .sequentiallyConsistent) {
            fputs("\u{1b}[?2004l", output)
            fflush(output)
        }
        TerminalRestore.orderlyRestore()
        delscreen(screen)
        self.screen = nil
    }

    /// Sends the OSC 52 sequence between frames; curses has flushed its own output by then.
    public func copyToClipboard(_ bytes: [UInt8]) {
        guard screen != nil, let output else { return }
        let sequence = OSC52.sequence(for: bytes)
        _ = sequence.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, output) }
        fflush(output)
    }

    /// The terminal bell, once (a board alert).
    public func bell() {
        guard screen != nil else { return }
        beep()
    }

    /// Writes the cells that changed since the last draw, then one refresh.
    public func draw(_ buffer: Buffer) {
        guard screen != nil else { return }
        let changes = buffer.changes(since: previous)
        previous = buffer
        guard !changes.isEmpty else { return }
        var cell = cchar_t()
        var text = [wchar_t](repeating: 0, count: 6)
        for change in changes {
            var count = 0
            for scalar in change.cell.text.unicodeScalars where count < 5 {
                text[count] = wchar_t(bitPattern: scalar.value)
                count += 1
            }
            if count == 0 { text[0] = 32; count = 1 }
            text[count] = 0
            let pair = pairNumber(for: change.cell.style)
            _ = mqd_setcchar(&cell, text, attributes(change.cell.style.attributes), pair)
            _ = mvwadd_wch(window, Int32(change.y), Int32(change.x), &cell)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Reads what the user did within `timeoutMilliseconds` (the first key only; whatever else is
    /// already there is read without waiting).
    public func readEvents(timeoutMilliseconds: Int32) -> [DashboardEvent] {
        guard screen != nil else { return [] }
        var events: [DashboardEvent] = []
        wtimeout(window, timeoutMilliseconds)
        var character: wint_t = 0
        let started = timeoutMilliseconds >= 5 ? DashboardLoop.wallClock() : 0
        while events.count < 256 {
            let result = wget_wch(window, &character)
            if result == ERR {
                if events.isEmpty && started > 0 { noteEmptyWait(since: started) }
                break
            }
            immediateTimeouts = 0
            if result == KEY_CODE_YES, Int32(character) == KEY_RESIZE {
                previous = nil
                let (width, height) = size
                events.append(.resize(width: width, height: height))
            } else if result == KEY_CODE_YES, Int32(character) == KEY_MOUSE {
                var mouse = MEVENT()
                if getmouse(&mouse) == OK, let event = InputDecoder.mouse(mouse) { events.append(.mouse(event)) }
            } else if let event = input.decode(isKeyCode: result == KEY_CODE_YES, value: UInt32(character)) {
                events.append(event)
            }
            wtimeout(window, 0)
        }
        return events
    }

    /// A wait that returns at once without input, again and again, means EOF: check for a hang-up
    /// so that the loop ends instead of spinning.
    private func noteEmptyWait(since started: Double) {
        guard DashboardLoop.wallClock() - started < 0.001 else {
            immediateTimeouts = 0
            return
        }
        immediateTimeouts += 1
        guard immediateTimeouts >= 50 else { return }
        immediateTimeouts = 0
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) >= 0, descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { isHungUp = true }
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = mqd_a_normal()
        if attributes.contains(.bold) { result |= mqd_a_bold() }
        if attributes.contains(.dim) { result |= mqd_a_dim() }
        if attributes.contains(.italic) { result |= mqd_a_italic() }
        if attributes.contains(.underline) { result |= mqd_a_underline() }
        if attributes.contains(.reverse) { result |= mqd_a_reverse() }
        return result
    }

    /// Colour pairs are made on first use and cached; when they run out, the default pair is used.
    private func pairNumber(for style: Style) -> Int32 {
        if capability == .none { return 0 }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < maximumPairs else { return 0 }
        let pair = nextPair
        guard init_extended_pair(pair, key.foreground, key.background) == OK else { return 0 }
        nextPair += 1
        pairs[key] = pair
        return pair
    }

    private func colorNumber(_ color: TerminalColor) -> Int32 {
        let resolved = ColorMapping.resolve(color, capability: capability)
        switch resolved {
        case .number(let n): return Int32(n)
        case .define(let r, let g, let b):
            if let number = definedColors[resolved] { return number }
            guard nextColor < maximumColors else {
                return Int32(ColorMapping.nearest256(r, g, b))
            }
            let number = nextColor
            func scale(_ v: UInt8) -> Int32 { Int32(v) * 1000 / 255 }
            guard init_extended_color(number, scale(r), scale(g), scale(b)) == OK else { return Int32(ColorMapping.nearest256(r, g, b)) }
            nextColor += 1
            definedColors[resolved] = number
            return number
        }
    }
}
