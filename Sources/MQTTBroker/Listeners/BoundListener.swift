import NIOCore

/// One configured listener, open: its server sockets (one per address: 127.0.0.1 and ::1, or
/// 0.0.0.0 and ::, ...), the addresses really bound (port 0 in the configuration becomes a real
/// port here) and its connection counts.
public struct BoundListener: Sendable {
    /// One bound server socket.
    public struct Socket: Sendable {
        public let channel: any Channel
        public let address: SocketAddress
        /// What mosquitto logs for it, e.g. `Opening ipv4 listen socket on port 1883.`
        public let openingLogLine: String
    }

    public let listener: BrokerConfiguration.Listener
    public let sockets: [Socket]
    public let connections: ConnectionCounter
    /// The TLS context new connections get (nil without TLS); a reload replaces what it holds.
    public let tlsContext: ListenerTLSContext?

    public var channels: [any Channel] { sockets.map(\.channel) }
    public var localAddresses: [SocketAddress] { sockets.map(\.address) }
    /// The port all sockets share (0 for a Unix socket).
    public var port: Int { sockets.first?.address.port ?? 0 }
    public var usesTLS: Bool { listener.tls.isEnabled }
    public var usesWebSockets: Bool { listener.transport == .websockets }

    /// `mqtt://127.0.0.1:1883`, `wss://[::]:8884`, ... one per socket, for status lines and tests.
    public var urls: [String] {
        let scheme = switch (usesWebSockets, usesTLS) {
        case (false, false): "mqtt"
        case (false, true): "mqtts"
        case (true, false): "ws"
        case (true, true): "wss"
        }
        return sockets.map { socket in
            if let path = socket.address.pathname { return "unix:\(path)" }
            return "\(scheme)://" + ListenerError.endpoint(socket.address.ipAddress ?? "?", socket.address.port ?? 0)
        }
    }

    /// Stops accepting connections on every socket. Connections already accepted stay open:
    /// closing them belongs to whoever owns them (the broker's sessions).
    public func close() async {
        for socket in sockets {
            try? await socket.channel.close()
        }
    }
}
