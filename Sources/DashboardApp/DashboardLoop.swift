import Dashboard
import Glibc

/// How the UI loop ended.
public enum DashboardLoopExit: Equatable, Sendable {
    /// The user quit (`q`, Ctrl-C): exit 0.
    case quit
    /// SIGINT, SIGTERM or SIGHUP: exit 128 + signal.
    case signal(Int32)
}

/// The UI loop, on the thread that owns the terminal: wait for a key (at most `keyTimeout`), take every
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
    /// The loop's clock, in seconds: the wall clock in the program, a manual one in the tests (pacing,
    /// the apply budget and ticks all read it).
    public var now: () -> Double = DashboardLoop.wallClock

    public init() {}

    /// Wall-clock seconds since 1970.
    public static func wallClock() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    public func run(
        terminal: some Terminal, state: inout DashboardState, theme: Theme, queue: EventQueue,
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
                if command == .quit {
                    quit = true
                } else if case .copyToClipboard(let bytes) = command {
                    // Only the terminal can reach the clipboard: the command goes to it, not to the app.
                    terminal.copyToClipboard(bytes)
                } else {
                    perform(command)
                }
            }
            if state.shouldQuit { quit = true }
        }

        func frame() {
            let started = frameLog == nil ? 0 : now()
            var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
            render(state, into: &buffer, theme: theme)
            let rendered = frameLog == nil ? 0 : now()
            terminal.draw(buffer)
            dirty = false
            if let frameLog {
                let flushed = now()
                frameLog.frameFlushed(
                    at: flushed, milliseconds: (flushed - started) * 1000, messages: state.totalMessages,
                    waiting: backlog.count - applied + queue.count, skipped: state.skippedMessages,
                    renderMilliseconds: (rendered - started) * 1000)
            }
        }

        let (width, height) = terminal.size
        apply(.resize(width: width, height: height))
        var lastTick = now()
        apply(.tick(now: lastTick))
        // The first frame goes out before any waiting.
        frame()
        var lastFrame = now()
        defer { frameLog?.quit(at: now()) }

        while !quit {
            if let signal = terminal.stopSignal { return .signal(signal) }

            var timeout = keyTimeoutMilliseconds
            if applied < backlog.count {
                timeout = 0
            } else if dirty {
                let untilFrame = Int32(max(1, (lastFrame + frameInterval - now()) * 1000))
                timeout = min(timeout, untilFrame)
            }
            // Keys first: `q` must not wait behind a flood of messages, and what a key changed is
            // drawn at once rather than after the next batch of messages.
            var inputs = 0
            for event in terminal.readEvents(timeoutMilliseconds: timeout) where !quit {
                if let frameLog, case .key(let key) = event { frameLog.keyRead(key, at: now()) }
                inputs += 1
                apply(event)
            }
            if quit { break }
            if inputs > 0 {
                frame()
                lastFrame = now()
            }

            if applied >= backlog.count {
                backlog = queue.drain()
                applied = 0
            }
            let budgetEnd = now() + applyBudget
            while applied < backlog.count && !quit {
                apply(backlog[applied])
                applied += 1
                // A key that came meanwhile is read (and drawn) before the rest: with a board the batches take
                // longer, and a key waited for half of one on average (issue 12's key latency).
                if applied % 512 == 0 && (now() > budgetEnd || terminal.hasInput) { break }
            }
            if applied >= backlog.count {
                backlog.removeAll()
                applied = 0
            }
            if quit { break }

            let now = now()
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
