import NIOConcurrencyHelpers

/// The memory all connections together may hold before their CONNECT is in (`max_connecting_bytes`):
/// each one reserves what it is about to buffer and gives it back once its CONNECT was decoded or
/// it closed. One budget is shared by every listener, hence the lock (today they all run on one
/// event loop, which this does not rely on).
public final class ConnectingBytesBudget: Sendable {
    /// A connection holding at most this much counts as small: an ordinary CONNECT is a few hundred bytes.
    static let smallConnectionBytes = 64 << 10

    public let limit: Int
    private let held = NIOLockedValueBox(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Bytes reserved right now, by all connections.
    public var reserved: Int { held.withLockedValue { $0 } }

    /// Reserves `bytes` for a connection that will then hold `connectionTotal` in all. Connections
    /// that grow past `smallConnectionBytes` may use only three quarters of the budget: the last
    /// quarter is kept for small CONNECTs, so a few sockets declaring large ones cannot lock
    /// ordinary clients out. False (nothing reserved) when it does not fit.
    func reserve(_ bytes: Int, connectionTotal: Int) -> Bool {
        let ceiling = connectionTotal > Self.smallConnectionBytes ? limit - limit / 4 : limit
        return held.withLockedValue { held in
            guard bytes <= ceiling - held else { return false }
            held += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        held.withLockedValue { $0 -= bytes }
    }
}
