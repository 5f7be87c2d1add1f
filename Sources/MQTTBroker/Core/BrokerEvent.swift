import MQTTCore
import NIOCore

/// Names one connection to the core; the NIO side maps it to its channel. Never reused while the broker runs.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public var description: String { "#\(rawValue)" }
}

/// Everything that happens to the broker, as `BrokerCore.handle(_:now:)` takes it.
public enum BrokerEvent: Sendable {
    /// A socket was accepted (and, for TLS and WebSocket, is ready to carry MQTT).
    case opened(ConnectionID, listener: ListenerContext, remoteAddress: String)
    /// A TLS client's certificate was read, on a listener that takes user names from certificates
    /// (`use_identity_as_username`, `use_subject_as_username`): the name it gives, nil if none. Comes
    /// before the connection's first packet.
    case identified(ConnectionID, certificateUsername: String?)
    /// One decoded packet from the client.
    case packet(ConnectionID, MQTTPacket)
    /// The decoder refused the client's bytes.
    case malformed(ConnectionID, MQTTDecodeError)
    /// The socket failed (reset, TLS error); the connection is closed.
    case socketFailed(ConnectionID, reason: String)
    /// The socket is gone, whoever closed it.
    case closed(ConnectionID)
    /// The connection's unsent bytes passed the output bound: the client is not reading what we send.
    case outputFull(ConnectionID)
    /// The connection can take more output again.
    case writable(ConnectionID)
    /// The store committed everything recorded before `awaitCommit(token)` was asked for.
    case committed(CommitToken)
    /// The store started or stopped falling behind (it cannot commit, or is far behind).
    case storeFallingBehind(Bool)
    /// A message of the broker's own (a bridge's state notification), routed as `$SYS` is: from no client.
    case publishFromBroker(StoredMessage)
    /// The password and ACL files were reloaded (SIGHUP): each listener's new security, by `ListenerContext.index`.
    case securityReloaded([ListenerSecurity])
    /// Time passed: timeouts, wills, session expiry, `$SYS`.
    case tick
    /// The broker stops: every connection is closed, v5 clients hear "server shutting down".
    case shutdown
    /// The dashboard's operator closes this client's connection (v5 clients hear "administrative action").
    case disconnectClient(clientID: String)
}

/// Names the acks waiting for one store commit (see `BrokerAction.awaitCommit`).
public struct CommitToken: Hashable, Sendable {
    let rawValue: Int
}

/// What the core asks the NIO side to do, in order.
public enum BrokerAction: Sendable {
    /// Write and flush these bytes: the packets encoded for the connection during the event, one buffer per
    /// connection per event (encoded here because what a client receives depends on its version, aliases
    /// and maximum packet size, all of which the core keeps).
    case send(ConnectionID, ByteBuffer)
    /// Close the socket now (after any `send` before it), without waiting for the peer.
    case close(ConnectionID)
    /// Stop or start reading the connection (see `ReadPauses` for why).
    case pauseReading(ConnectionID)
    case resumeReading(ConnectionID)
    /// Hand these changes to the store.
    case recordStoreChanges([StoreChange])
    /// Report `committed(token)` once the store has committed what it was handed so far. Not `urgent`: every ack
    /// waiting for it expects to be released by its subscribers first, so the store may take its time.
    case awaitCommit(CommitToken, urgent: Bool)
    /// One log line (control characters are escaped by the log).
    case log(BrokerLog.LogType, String)
}
