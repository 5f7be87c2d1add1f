/// The client's side of MQTT keep alive (3.1.2.10 / 5.0 3.1.2.10): send PINGREQ when the
/// line has been quiet, and give up on the connection when the PINGREQ goes unanswered.
///
/// Pure: the channel handler reports packets sent and received with the instant they
/// happened, asks `nextDeadline`, schedules one timer for it and calls `tick(now:)` when the
/// timer fires. A tick before the deadline is harmless, so the handler never has to cancel
/// and reschedule timers on every packet.
///
/// A ping is due when `keepAlive` has passed since the last packet *sent* or the last packet
/// *received*, whichever is older. The spec only requires the sent side, but a client that
/// publishes QoS 0 nonstop would then never ping and never notice a half-open TCP connection;
/// watching the received side too catches that within one keep alive plus the ping timeout.
public struct KeepAliveStateMachine<C: MQTTClock>: Sendable {
    public typealias Instant = C.Instant

    /// What the channel handler has to do after a tick.
    public enum TickAction: Equatable, Sendable {
        /// Nothing yet; check again at `nextDeadline`.
        case none
        /// Write a PINGREQ now. The machine already counts it as sent at the tick's instant.
        case sendPingRequest
        /// No answer to the PINGREQ within the ping timeout: close the connection and treat
        /// it as lost (reconnect, publish the will from the broker's side, ...).
        case connectionDead
    }

    private enum State: Sendable {
        /// Keep alive 0: the client never pings and never times the server out.
        case disabled
        /// Connected with no PINGREQ outstanding. A ping is due at
        /// `min(lastSent, lastReceived) + keepAlive`.
        case idle(lastSent: Instant, lastReceived: Instant)
        /// A PINGREQ went out at `pingSent` and nothing has arrived since. The connection is
        /// dead at `pingSent + pingTimeout` unless some packet arrives first.
        case awaitingPingResponse(lastSent: Instant, pingSent: Instant)
        /// `connectionDead` was returned; every later event is ignored.
        case dead
    }

    private var state: State
    /// The negotiated keep alive; `.zero` when disabled.
    public private(set) var keepAlive: Duration
    /// How long a PINGREQ may stay unanswered. Defaults to the keep alive itself.
    public private(set) var pingTimeout: Duration

    /// Starts timing at `connectSent`, the instant the CONNECT packet was written (it counts
    /// as a sent packet; the server's keep alive timer starts when it reads it).
    ///
    /// - Parameters:
    ///   - keepAlive: the CONNECT keep alive; `.zero` disables keep alive altogether.
    ///   - pingTimeout: how long to wait for an answer to PINGREQ; `nil` means `keepAlive`.
    public init(keepAlive: Duration, pingTimeout: Duration? = nil, connectSent: Instant) {
        self.keepAlive = keepAlive
        self.pingTimeout = pingTimeout ?? keepAlive
        self.state = keepAlive > .zero ? .idle(lastSent: connectSent, lastReceived: connectSent) : .disabled
    }

    /// The instant at which `tick(now:)` has something to do; `nil` when nothing ever will.
    public var nextDeadline: Instant? {
        switch state {
        case .disabled, .dead:
            return nil
        case .idle(let lastSent, let lastReceived):
            return min(lastSent, lastReceived).advanced(by: keepAlive)
        case .awaitingPingResponse(_, let pingSent):
            return pingSent.advanced(by: pingTimeout)
        }
    }

    /// Whether the machine has declared the connection dead.
    public var isDead: Bool {
        if case .dead = state { return true }
        return false
    }

    /// Any packet was written to the connection at `instant` (PINGREQs from
    /// `.sendPingRequest` are already counted; reporting them again does no harm).
    public mutating func packetSent(at instant: Instant) {
        switch state {
        case .disabled, .dead:
            break
        case .idle(let lastSent, let lastReceived):
            state = .idle(lastSent: max(lastSent, instant), lastReceived: lastReceived)
        case .awaitingPingResponse(let lastSent, let pingSent):
            // Sending does not prove the server is alive; keep waiting for the answer.
            state = .awaitingPingResponse(lastSent: max(lastSent, instant), pingSent: pingSent)
        }
    }

    /// Any packet arrived at `instant`. PINGRESP or not, it shows the server is there, so an
    /// outstanding ping is considered answered.
    public mutating func packetReceived(at instant: Instant) {
        switch state {
        case .disabled, .dead:
            break
        case .idle(let lastSent, let lastReceived):
            state = .idle(lastSent: lastSent, lastReceived: max(lastReceived, instant))
        case .awaitingPingResponse(let lastSent, _):
            state = .idle(lastSent: lastSent, lastReceived: instant)
        }
    }

    /// The server's keep alive from CONNACK (MQTT 5 Server Keep Alive) replaces ours.
    /// Timing continues from the packets already seen; `.zero` disables keep alive.
    public mutating func keepAliveChanged(to keepAlive: Duration, pingTimeout: Duration? = nil, at instant: Instant) {
        self.keepAlive = keepAlive
        self.pingTimeout = pingTimeout ?? keepAlive
        switch state {
        case .dead:
            break
        case .disabled:
            if keepAlive > .zero { state = .idle(lastSent: instant, lastReceived: instant) }
        case .idle, .awaitingPingResponse:
            if keepAlive == .zero { state = .disabled }
        }
    }

    /// Time has passed; call at or after `nextDeadline`. Earlier calls return `.none`.
    public mutating func tick(now: Instant) -> TickAction {
        switch state {
        case .disabled, .dead:
            return .none
        case .idle(let lastSent, let lastReceived):
            guard now >= min(lastSent, lastReceived).advanced(by: keepAlive) else { return .none }
            state = .awaitingPingResponse(lastSent: max(lastSent, now), pingSent: now)
            return .sendPingRequest
        case .awaitingPingResponse(_, let pingSent):
            guard now >= pingSent.advanced(by: pingTimeout) else { return .none }
            state = .dead
            return .connectionDead
        }
    }
}
