import NIOCore
import NIOPosix

// Plain TCP only: the TLS and websockets listeners come from the `listen` branch, which replaces this file.
public struct BoundListener: Sendable {
    public var channels: [any Channel]
    public var addresses: [SocketAddress]
    public var logLines: [String]
}

public enum ListenerBinder {
    public static func bind(_ listener: BrokerConfiguration.Listener, isLocalOnly: Bool, group: any EventLoopGroup,
                            initializeMQTT: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>) async throws -> BoundListener {
        let host = listener.bindAddress ?? "0.0.0.0"
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer(initializeMQTT)
            .bind(host: host, port: listener.port).get()
        let address = channel.localAddress!
        return BoundListener(channels: [channel], addresses: [address],
                             logLines: ["Opening ipv4 listen socket on port \(address.port ?? listener.port)."])
    }
}
