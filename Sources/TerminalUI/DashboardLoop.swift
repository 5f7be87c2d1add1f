import Dashboard
import Glibc

/// How the UI loop ended.
public enum DashboardLoopExit: Equatable, Sendable {
    /// The user quit (`q`, Ctrl-C): exit 0.
    case quit
    /// SIGINT, SIGTERM or SIGHUP: exit 128 + signal.
    case signal(Int32)
}

/// The UI loop, on the thread that owns curses: wait for a key (at most `keyTimeout`), take every
/// queued outside event in one batch, apply all of them with `update`, hand the commands to
/// `perform`, send `.tick` at most every `tickInterval`, and draw at most once per `frameInterval`
/// and only after something changed (the terminal writes only the cells that differ).
public struct DashboardLoop {
    public var keyTimeoutMilliseconds: Int32 = 25
    public var frameInterval = 1.0 / 30
    public var tickInterval = 0.1

    public init() {}

    /// Wall-clock seconds since 1970.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public func run(
        terminal: CursesTerminal, state: inout DashboardState, theme: Theme, queue: EventQueue,
        perform: (DashboardCommand) -> Void
    ) -> DashboardLoopExit {
        var dirty = true
        var quit = false

        func apply(_ event: DashboardEvent) {
            dirty = true
            for command in update(&state, event) {
                if command == .quit { quit = true } else { perform(command) }
            }
            if state.shouldQuit { quit = true }
        }

        func frame() {
            var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
            render(state, into: &buffer, theme: theme)
            terminal.draw(buffer)
            dirty = false
        }

        let (width, height) = terminal.size
        apply(.resize(width: width, height: height))
        var lastTick = Self.now()
        apply(.tick(now: lastTick))
        // The first frame goes out before any waiting.
        frame()
        var lastFrame = Self.now()

        while !quit {
            let signal = TerminalRestore.stopSignal.load(ordering: .relaxed)
            if signal != 0 { return .signal(signal) }

            var timeout = keyTimeoutMilliseconds
            if dirty {
                let untilFrame = Int32(max(1, (lastFrame + frameInterval - Self.now()) * 1000))
                timeout = min(timeout, untilFrame)
            }
            let input = terminal.readEvents(timeoutMilliseconds: timeout)
            for event in queue.drain() where !quit { apply(event) }
            for event in input where !quit { apply(event) }
            if quit { break }

            let now = Self.now()
            if now - lastTick >= tickInterval {
                apply(.tick(now: now))
                lastTick = now
            }
            if dirty && now - lastFrame >= frameInterval {
                frame()
                lastFrame = now
            }
        }
        return .quit
    }
}
