import Dashboard

/// What the UI loop needs of a screen and a keyboard: `CursesTerminal` in the program, a scripted
/// terminal in the tests. Used from one thread only, the loop's.
public protocol Terminal: AnyObject {
    /// The size now, in cells.
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer` (an implementation may write only the cells that changed since the last one).
    func draw(_ buffer: Buffer)
    /// What the user did: waits at most `timeoutMilliseconds` for the first input, then takes what is
    /// already there without waiting.
    func readEvents(timeoutMilliseconds: Int32) -> [DashboardEvent]
    /// Whether input waits to be read, without reading or waiting: the loop asks between slices of a batch of
    /// messages, so that a key is not left waiting behind the rest of the batch.
    var hasInput: Bool { get }
    /// A signal that ends the loop (SIGINT, SIGTERM, SIGHUP; SIGHUP too when the terminal hung up
    /// without one), nil while there is none.
    var stopSignal: Int32? { get }
    /// Puts `bytes` on the system clipboard, if the terminal lets it (OSC 52, see `OSC52`).
    func copyToClipboard(_ bytes: [UInt8])
}
