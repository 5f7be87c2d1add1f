import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens the server sockets of one configured listener. For each accepted connection it builds
/// the transport pipeline (TLS and/or WebSocket, as configured) and then calls `initializeMQTT`,
/// which adds the MQTT codec and connection handler behind the transport handlers.
public enum ListenerBinder {
    /// Pending connections the kernel queues per socket before we accept them.
    static let backlog: Int32 = 256

    /// A connection closed at once because the listener already had `max_connections`.
    public struct RefusedConnection: Sendable {
        public let remoteAddress: SocketAddress?
        public let limit: Int
        /// What mosquitto logs for it.
        public var logLine: String {
            let from = remoteAddress?.ipAddress ?? "unknown"
            return "Client connection from \(from) denied: max_connections exceeded."
        }
    }

    /// Binds `listener`. Every connection is watched by `preConnect` until its CONNECT is in: a deadline
    /// in front of everything, a byte cap in front of the WebSocket decoders, and a `ConnectPacketGuard`
    /// in front of what `initializeMQTT` adds. With `isLocalOnly` (no configuration at all) it listens on 127.0.0.1 and,
    /// when the host has IPv6, ::1, like mosquitto 2.0; a listener without an address listens on
    /// every interface (0.0.0.0 and ::, or one of them by `socket_domain`); a host name binds
    /// every address it resolves to. Port 0 picks a free port, shared by all the sockets.
    ///
    /// - Throws: `ListenerError`, worded for the user (port taken, permission denied, bad TLS files, ...).
    public static func bind(
        _ listener: BrokerConfiguration.Listener, isLocalOnly: Bool, group: any EventLoopGroup,
        preConnect: PreConnectLimits = PreConnectLimits(),
        onRefusedConnection: @escaping @Sendable (RefusedConnection) -> Void = { _ in },
        initializeMQTT: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> BoundListener {
        let reference = listener.configurationReference
        let tlsContext = try ListenerTLS.makeContext(for: listener).map(ListenerTLSContext.init)
        let counter = ConnectionCounter(limit: listener.maxConnections)
        let isWebSocket = listener.transport == .websockets
        let endpoints = try endpoints(for: listener, isLocalOnly: isLocalOnly)
        let isUnixSocket = endpoints.first?.isUnixSocket ?? false

        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard counter.admit() else {
                    onRefusedConnection(RefusedConnection(remoteAddress: channel.remoteAddress, limit: counter.limit))
                    // A failed initializer makes NIO close the accepted socket before it is registered.
                    return channel.eventLoop.makeFailedFuture(ConnectionLimitReached())
                }
                channel.closeFuture.whenComplete { _ in counter.release() }
                let guardedMQTT: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
                    do {
                        try channel.pipeline.syncOperations.addHandler(ConnectPacketGuard(limits: preConnect))
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                    return initializeMQTT(channel)
                }
                do {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(ConnectDeadline(timeout: preConnect.timeout, tls: tlsContext != nil,
                                                        webSocket: isWebSocket, log: preConnect.log))
                    if let tlsContext {
                        try sync.addHandler(NIOSSLServerHandler(context: tlsContext.current))
                    }
                    if isWebSocket {
                        try sync.addHandler(PreConnectByteCap(limits: preConnect))
                        try WebSocketListenerPipeline.configure(channel, maximumPacketSize: preConnect.maximumPacketSize,
                                                                initializeMQTT: guardedMQTT)
                        return channel.eventLoop.makeSucceededVoidFuture()
                    }
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                return guardedMQTT(channel)
            }
        if !isUnixSocket {
            bootstrap = bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        }

        var sockets: [BoundListener.Socket] = []
        var port = listener.port
        for endpoint in endpoints {
            do {
                let socket = try await bindOne(endpoint, port: port, bootstrap: bootstrap, isWebSocket: isWebSocket)
                if port == 0, let bound = socket.address.port { port = bound }
                sockets.append(socket)
            } catch {
                // An optional IPv6 socket is skipped only when the host has no IPv6; taken by
                // another program, it would send some "localhost" clients to that program.
                if endpoint.isOptional, let error = error as? IOError,
                   [EAFNOSUPPORT, EADDRNOTAVAIL, EPROTONOSUPPORT].contains(error.errnoCode) {
                    continue
                }
                for socket in sockets { try? await socket.channel.close() }
                throw mapBindError(error, endpoint: endpoint, port: port, reference: reference)
            }
        }
        guard !sockets.isEmpty else {
            throw ListenerError.bindFailed(address: endpoints.first?.host ?? "?", port: port,
                                           reason: "no address could be bound.", listener: reference)
        }
        return BoundListener(listener: listener, sockets: sockets, connections: counter, tlsContext: tlsContext)
    }

    /// Where a listener's sockets go.
    struct Endpoint: Equatable {
        /// An IP address, or a Unix socket path.
        var host: String
        var isUnixSocket = false
        /// Skipped when the host has no IPv6 (::1 or :: next to their IPv4 twins).
        var isOptional = false
        var isIPv6: Bool { !isUnixSocket && host.contains(":") }
    }

    static func endpoints(for listener: BrokerConfiguration.Listener, isLocalOnly: Bool) throws(ListenerError) -> [Endpoint] {
        let domain = listener.socketDomain
        if isLocalOnly {
            return [Endpoint(host: "127.0.0.1"), Endpoint(host: "::1", isOptional: true)]
        }
        guard let address = listener.bindAddress else {
            switch domain {
            case .ipv4: return [Endpoint(host: "0.0.0.0")]
            case .ipv6: return [Endpoint(host: "::")]
            case nil: return [Endpoint(host: "0.0.0.0"), Endpoint(host: "::", isOptional: true)]
            }
        }
        if listener.port == 0 && address.hasPrefix("/") {
            return [Endpoint(host: address, isUnixSocket: true)]
        }
        let hosts = resolve(address, domain: domain)
        guard !hosts.isEmpty else { throw .cannotResolve(host: address, listener: listener.configurationReference) }
        return hosts.map { Endpoint(host: $0) }
    }

    /// Every address `host` stands for (an IP literal stands for itself), IPv4 first, no repeats.
    static func resolve(_ host: String, domain: BrokerConfiguration.SocketDomain?) -> [String] {
        var hints = addrinfo()
        hints.ai_family = switch domain {
        case .ipv4: AF_INET
        case .ipv6: AF_INET6
        case nil: AF_UNSPEC
        }
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var v4: [String] = [], v6: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let address = info.ai_addr else { continue }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if info.ai_family == AF_INET {
                var ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                guard inet_ntop(AF_INET, &ip, &text, socklen_t(text.count)) != nil else { continue }
                let string = cText(text)
                if !v4.contains(string) { v4.append(string) }
            } else if info.ai_family == AF_INET6 {
                var ip = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                guard inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count)) != nil else { continue }
                let string = cText(text)
                if !v6.contains(string) { v6.append(string) }
            }
        }
        return v4 + v6
    }

    private static func cText(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func bindOne(
        _ endpoint: Endpoint, port: Int, bootstrap: ServerBootstrap, isWebSocket: Bool
    ) async throws -> BoundListener.Socket {
        let channel: any Channel
        if endpoint.isUnixSocket {
            channel = try await bootstrap.bind(unixDomainSocketPath: endpoint.host, cleanupExistingSocketFile: true).get()
        } else {
            let address = try SocketAddress(ipAddress: endpoint.host, port: port)
            // Without IPV6_V6ONLY, :: would also claim the IPv4 port that 0.0.0.0 holds.
            let v6Only = endpoint.isIPv6
                ? bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
                : bootstrap
            channel = try await v6Only.bind(to: address).get()
        }
        guard let local = channel.localAddress else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        let kind = endpoint.isUnixSocket ? "unix" : isWebSocket ? "websockets" : endpoint.isIPv6 ? "ipv6" : "ipv4"
        let line = endpoint.isUnixSocket
            ? "Opening unix listen socket on path \(endpoint.host)."
            : "Opening \(kind) listen socket on port \(local.port ?? port)."
        return BoundListener.Socket(channel: channel, address: local, openingLogLine: line)
    }

    private static func mapBindError(_ error: any Error, endpoint: Endpoint, port: Int, reference: String) -> ListenerError {
        if let error = error as? ListenerError { return error }
        if let error = error as? IOError {
            return .fromBind(errno: error.errnoCode, address: endpoint.host, port: port, listener: reference)
        }
        return .bindFailed(address: endpoint.host, port: port, reason: "\(error)", listener: reference)
    }
}

/// The reason NIO is given for closing a connection over `max_connections`; never seen by users.
struct ConnectionLimitReached: Error {}
