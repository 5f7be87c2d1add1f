import NIOConcurrencyHelpers

/// Counts one listener's open connections and enforces its `max_connections`: a connection
/// beyond the limit is closed as soon as it is accepted, and counted as refused.
/// Shared by the listener's event loops, hence the lock.
public final class ConnectionCounter: Sendable {
    /// -1: no limit (mosquitto's default).
    public let limit: Int
    private let counts = NIOLockedValueBox((open: 0, refused: 0))

    public init(limit: Int) {
        self.limit = limit
    }

    /// Connections accepted and not closed yet.
    public var open: Int { counts.withLockedValue { $0.open } }
    /// Connections closed at once because the listener was full.
    public var refused: Int { counts.withLockedValue { $0.refused } }

    /// Takes a slot for a new connection, or counts it as refused when there is none.
    func admit() -> Bool {
        counts.withLockedValue { counts in
            if limit >= 0 && counts.open >= limit {
                counts.refused += 1
                return false
            }
            counts.open += 1
            return true
        }
    }

    func release() {
        counts.withLockedValue { $0.open -= 1 }
    }
}
