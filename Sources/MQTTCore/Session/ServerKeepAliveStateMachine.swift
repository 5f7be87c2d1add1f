/// The server's side of MQTT keep alive: a client that sends nothing for one and a half
/// times its keep alive is disconnected (3.1.2.10 / 5.0 3.1.2.10), and its will published.
///
/// Pure, driven like `KeepAliveStateMachine`: report packets received, schedule one timer
/// for `nextDeadline`, call `tick(now:)` when it fires.
public struct ServerKeepAliveStateMachine<C: MQTTClock>: Sendable {
    public typealias Instant = C.Instant

    /// What the connection handler has to do after a tick.
    public enum TickAction: Equatable, Sendable {
        /// Nothing yet; check again at `nextDeadline`.
        case none
        /// The client has been silent too long: close the connection (v5: DISCONNECT with
        /// reason 0x8D "Keep Alive timeout" first) and treat it as an abnormal disconnect.
        case closeConnection
    }

    private enum State: Sendable {
        /// Keep alive 0: the server never times the client out.
        case disabled
        /// Waiting for packets; the client is too quiet at `lastReceived + 1.5 * keepAlive`.
        case active(lastReceived: Instant)
        /// `closeConnection` was returned; every later event is ignored.
        case closed
    }

    private var state: State
    /// The keep alive in force: the client's, or the one the server imposed in CONNACK.
    public private(set) var keepAlive: Duration

    /// The grace the spec gives: one and a half keep alives.
    public var timeout: Duration { keepAlive * 3 / 2 }

    /// Starts timing at `connectReceived`, the instant the CONNECT packet was read.
    public init(keepAlive: Duration, connectReceived: Instant) {
        self.keepAlive = keepAlive
        self.state = keepAlive > .zero ? .active(lastReceived: connectReceived) : .disabled
    }

    /// The instant at which `tick(now:)` has something to do; `nil` when nothing ever will.
    public var nextDeadline: Instant? {
        switch state {
        case .disabled, .closed:
            return nil
        case .active(let lastReceived):
            return lastReceived.advanced(by: timeout)
        }
    }

    /// Any packet arrived from the client at `instant`.
    public mutating func packetReceived(at instant: Instant) {
        switch state {
        case .disabled, .closed:
            break
        case .active(let lastReceived):
            state = .active(lastReceived: max(lastReceived, instant))
        }
    }

    /// Time has passed; call at or after `nextDeadline`. Earlier calls return `.none`.
    public mutating func tick(now: Instant) -> TickAction {
        switch state {
        case .disabled, .closed:
            return .none
        case .active(let lastReceived):
            guard now >= lastReceived.advanced(by: timeout) else { return .none }
            state = .closed
            return .closeConnection
        }
    }
}
