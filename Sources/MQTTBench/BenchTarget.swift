import MQTTClient
import MQTTCore
import NIOCore
import NIOPosix
import NIOSSL

/// The broker every bench client connects to, and how.
public struct BenchTarget: Sendable {
    var host: String
    var port: Int
    var tls: TLSOptions?
    var version: MQTTVersion
    var keepAlive: UInt16
    var username: String?
    var password: String?
    var clientIDPrefix: String
    var threads: Int
    /// Clean session 0 (v5: a session expiry), so a broker keeps, and with persistence stores, each session.
    var persistentSessions = false

    public init(
        host: String, port: Int, tls: TLSOptions?, version: MQTTVersion, keepAlive: UInt16, username: String?, password: String?,
        clientIDPrefix: String, threads: Int, persistentSessions: Bool = false
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.version = version
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.clientIDPrefix = clientIDPrefix
        self.threads = threads
        self.persistentSessions = persistentSessions
    }

    var description: String { "\(tls == nil ? "mqtt" : "mqtts")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    func connectPacket(clientID: String) -> ConnectPacket {
        let expiry: Properties = persistentSessions && version == .v5 ? [.sessionExpiryInterval(300)] : []
        return ConnectPacket(
            version: version, clientID: clientID, cleanStart: !persistentSessions, keepAlive: keepAlive, username: username,
            password: password.map { ByteBuffer(string: $0) }, properties: expiry)
    }

    /// One TLS context for all connections: building it reads the PEM files.
    func makeTLSContext() throws -> NIOSSLContext? {
        guard let tls else { return nil }
        do {
            return try tls.makeContext()
        } catch {
            throw BenchError.setup("TLS setup failed: \(error)")
        }
    }

    /// The broker's address, looked up once: thousands of connections should not mean thousands of
    /// name lookups (NIO would run getaddrinfo and Happy Eyeballs for each).
    func resolveAddress() throws -> SocketAddress {
        do {
            return try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw BenchError.setup("Unable to resolve host name \"\(host)\"")
        }
    }

    /// Opens a connection whose pipeline ends in `makeHandler()`'s handler; the handler sends CONNECT.
    func connect(
        to address: SocketAddress, on eventLoop: any EventLoop, tlsContext: NIOSSLContext?,
        makeHandler: @escaping @Sendable () -> BenchConnection
    ) -> EventLoopFuture<any Channel> {
        let version = self.version
        let host = self.host
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(10))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext {
                        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
                        try sync.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: isAddress ? nil : host))
                    }
                    let decoder = PacketDecoder(version: version, direction: .serverToClient, maximumPacketSize: 268_435_460)
                    try sync.addHandler(ByteToMessageHandler(MQTTPacketByteDecoder(decoder: decoder)))
                    try sync.addHandler(MessageToByteHandler(MQTTPacketEncoder(version: version)))
                    try sync.addHandler(makeHandler())
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(to: address)
    }
}

/// Why a bench run could not go on, worded for the "Error: ..." line.
enum BenchError: Error, CustomStringConvertible {
    case setup(String)
    case connection(String)

    var description: String {
        switch self {
        case .setup(let reason), .connection(let reason): reason
        }
    }
}
