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
/// queued outside event in one batch, apply them with `update` (for at most `applyBudget` per
/// round, so keys and frames are not starved in a flood), hand the commands to `perform`, send
/// `.tick` at most every `tickInterval`, and draw at most once per `frameInterval` and only after
/// something changed (the terminal writes only the cells that differ). Input is drawn at once, before
/// the next batch, so a key is answered within one render even in a flood. The queue is taken only
/// when the previous batch is used up: if the UI falls behind, the bounded `EventQueue` skips and counts.
public struct DashboardLoop {
    public var keyTimeoutMilliseconds: Int32 = 25
    public var frameInterval = 1.0 / 30
    public var tickInterval = 0.1
    /// Longest stretch spent applying queued events before keys are read and a frame is drawn again;
    /// what is left stays in order for the next round. Keeps keys answered and frames coming in a flood.
    public var applyBudget = 0.03

    public init() {}

    /// Wall-clock seconds since 1970.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public func run(
        terminal: CursesTerminal, state: inout DashboardState, theme: Theme, queue: EventQueue,
        frameLog: FrameLog? = nil, perform: (DashboardCommand) -> Void
    ) -> DashboardLoopExit {
        var dirty = true
        var quit = false
        // Outside events taken from the queue but not applied yet (see `applyBudget`). The queue is
        // drained only once this is used up, so that the queue's bound is the only buffer that grows.
        var backlog: [DashboardEvent] = []
        var applied = 0

        func apply(_ event: DashboardEvent) {
            dirty = true
            for command in update(&state, event) {
                if command == .quit { quit = true } else { perform(command) }
            }
            if state.shouldQuit { quit = true }
        }

        func frame() {
            let started = frameLog == nil ? 0 : Self.now()
            var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
            render(state, into: &buffer, theme: theme)
            terminal.draw(buffer)
            dirty = false
            if let frameLog {
                let flushed = Self.now()
                frameLog.frameFlushed(
                    at: flushed, milliseconds: (flushed - started) * 1000, messages: state.totalMessages,
                    waiting: backlog.count - applied + queue.count, skipped: state.skippedMessages)
            }
        }

        let (width, height) = terminal.size
        apply(.resize(width: width, height: height))
        var lastTick = Self.now()
        apply(.tick(now: lastTick))
        // The first frame goes out before any waiting.
        frame()
        var lastFrame = Self.now()
        defer { frameLog?.quit(at: Self.now()) }

        while !quit {
            let signal = TerminalRestore.stopSignal.load(ordering: .relaxed)
            if signal != 0 { return .signal(signal) }
            if terminal.isHungUp { return .signal(SIGHUP) }

            var timeout = keyTimeoutMilliseconds
            if applied < backlog.count {
                timeout = 0
            } else if dirty {
                let untilFrame = Int32(max(1, (lastFrame + frameInterval - Self.now()) * 1000))
                timeout = min(timeout, untilFrame)
            }
            // Keys first: `q` must not wait behind a flood of messages, and what a key changed is
            // drawn at once rather than after the next batch of messages.
            var inputs = 0
            for event in terminal.readEvents(timeoutMilliseconds: timeout) where !quit {
                if let frameLog, case .key(let key) = event { frameLog.keyRead(key, at: Self.now()) }
                inputs += 1
                apply(event)
            }
            if quit { break }
            if inputs > 0 {
                frame()
                lastFrame = Self.now()
            }

            if applied >= backlog.count {
                backlog = queue.drain()
                applied = 0
            }
            let budgetEnd = Self.now() + applyBudget
            while applied < backlog.count && !quit {
                apply(backlog[applied])
                applied += 1
                if applied % 512 == 0 && Self.now() > budgetEnd { break }
            }
            if applied >= backlog.count {
                backlog.removeAll()
                applied = 0
            }
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
