import Dashboard
import DashboardApp

/// The loop's clock in the tests: time moves only when a read waits, or by `step` on every reading
/// (the cost of the work between two readings).
final class ManualClock {
    /// A power of two, so that steps of 1/4 s and 1/8 s add up exactly.
    var time = 1_024.0
    var step = 0.0

    func now() -> Double {
        time += step
        return time
    }
}

/// A `Terminal` for the loop's tests: the user's input comes from a script, each read without input
/// waits its whole timeout on the manual clock, and every call is recorded in order.
final class ScriptedTerminal: Terminal {
    enum Call: Equatable {
        case read(timeoutMilliseconds: Int32)
        /// A frame, with the message count its status bar shows.
        case draw(messages: Int)
        case clipboard([UInt8])
    }

    let clock: ManualClock
    var size = (width: 100, height: 30)
    var stopSignal: Int32?
    private(set) var calls: [Call] = []
    /// When each frame was drawn, on the manual clock.
    private(set) var frameTimes: [Double] = []
    /// What the user does at read number n (0 first); nothing by default.
    var input: (Int) -> [DashboardEvent] = { _ in [] }
    /// Whether input waits, asked between slices of a batch: the number of the read that would take it, or nil.
    var inputWaitsAt: Int?
    var hasInput: Bool { inputWaitsAt == reads }
    /// Every test ends: at this read the user presses q.
    var quitAtRead = 500
    private var reads = 0

    init(clock: ManualClock) { self.clock = clock }

    func draw(_ buffer: Buffer) {
        frameTimes.append(clock.time)
        calls.append(.draw(messages: Self.messageCount(in: buffer)))
    }

    func copyToClipboard(_ bytes: [UInt8]) { calls.append(.clipboard(bytes)) }

    func readEvents(timeoutMilliseconds: Int32) -> [DashboardEvent] {
        defer { reads += 1 }
        calls.append(.read(timeoutMilliseconds: timeoutMilliseconds))
        let events: [DashboardEvent] = reads >= quitAtRead ? [.key(.character("q"))] : input(reads)
        // A read costs at least a millisecond, so a loop that never waits still moves the clock.
        if events.isEmpty { clock.time += Double(max(1, timeoutMilliseconds)) / 1000 }
        return events
    }

    var frames: [Int] { calls.compactMap { if case .draw(let messages) = $0 { messages } else { nil } } }
    var readTimeouts: [Int32] { calls.compactMap { if case .read(let timeout) = $0 { timeout } else { nil } } }

    /// The "N msgs" of the status bar (the last line).
    static func messageCount(in buffer: Buffer) -> Int {
        let words = (buffer.lines().last ?? "").split(separator: " ")
        guard let index = words.firstIndex(of: "msgs"), index > 0 else { return -1 }
        return Int(words[index - 1]) ?? -1
    }
}
