/// Why the broker has stopped reading a connection. Reading resumes only when no reason is left,
/// so one cause clearing never undoes another.
struct ReadPauses: OptionSet {
    let rawValue: UInt8

    /// The client does not read what we send: its unsent bytes (acks, PINGRESP, messages) passed the
    /// write buffer's high-water mark. Reading more would only queue more answers.
    static let outputFull = ReadPauses(rawValue: 1 << 0)
    /// The client has as many QoS 1/2 messages unacknowledged as our receive maximum allows; a 3.1.1
    /// client has no receive maximum to respect, so its window is enforced by not reading.
    static let incomingWindow = ReadPauses(rawValue: 1 << 1)
    /// Fan-in backpressure: the only subscriber of its messages has a full queue (see `Broker+Backpressure`).
    static let fanIn = ReadPauses(rawValue: 1 << 2)
    /// The store cannot commit (or is far behind): a publisher is not read until it catches up.
    static let storeBehind = ReadPauses(rawValue: 1 << 3)
}
