/// One fuzz target: what a single input does, and how its seed files look.
///
/// The same target runs two ways (see `FuzzMain`): built with `-sanitize=fuzzer -DFUZZING` libFuzzer
/// feeds it inputs; built normally it replays corpus files, so a crash found by libFuzzer can be
/// reproduced, and stepped through, without a fuzzing toolchain.
public protocol FuzzTarget {
    /// The executable's name, for its usage line.
    static var name: String { get }
    /// The seed corpus, written by `--write-seeds DIR`.
    static func seeds() -> [(name: String, bytes: [UInt8])]

    init()
    /// Runs one input and traps on a broken invariant; the target may tally what it checked.
    mutating func run(_ input: UnsafeBufferPointer<UInt8>)
    /// What the tally says after a replay, e.g. "12 packets round-tripped".
    var summary: String { get }
}
