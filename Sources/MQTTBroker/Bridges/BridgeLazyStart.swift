import NIOCore

/// `start_type lazy`, as mosquitto documents it: the link stays down until `threshold` messages wait for it in
/// the bridge's local session, and goes down again after `idle_timeout` seconds in which it carried nothing.
/// Only the decisions live here; `BridgeLink` asks every `checkInterval` and acts.
struct BridgeLazyStart {
    enum Decision: Equatable {
        case wait
        case connect
        case disconnectIdle
    }

    /// How often the link looks at its queue: the core has no event for "a message was queued for this session",
    /// and a quarter of a second is nothing next to a link that waits for a batch.
    static let checkInterval = TimeAmount.milliseconds(250)

    let threshold: Int
    let idleTimeout: TimeAmount
    /// What the link had carried (both ways) when it was last seen busy, and when that was.
    private var lastCarried: UInt64 = 0
    private var quietSince: NIODeadline?

    init(threshold: Int, idleTimeoutSeconds: Int) {
        self.threshold = threshold
        idleTimeout = .seconds(Int64(idleTimeoutSeconds))
    }

    /// The link is down and nothing is trying to bring it up: up once enough waits for it.
    func whileDown(queued: Int) -> Decision {
        queued >= threshold ? .connect : .wait
    }

    /// The link came up: idle time counts from now.
    mutating func linkUp(carried: UInt64, now: NIODeadline) {
        lastCarried = carried
        quietSince = now
    }

    /// The link is up. `queued`: messages still waiting for the remote; `carried`: all it has carried so far.
    mutating func whileUp(queued: Int, carried: UInt64, now: NIODeadline) -> Decision {
        guard queued == 0, carried == lastCarried, let quietSince else {
            linkUp(carried: carried, now: now)
            return .wait
        }
        return now - quietSince >= idleTimeout ? .disconnectIdle : .wait
    }
}
