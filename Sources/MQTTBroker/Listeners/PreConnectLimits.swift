import MQTTCore
import NIOCore

/// What a connection may cost the broker before its CONNECT is in, i.e. before anyone knows who it
/// is: the time for the TLS handshake, WebSocket upgrade and CONNECT together, and the memory it may
/// hold meanwhile (see `ConnectPacketGuard`, `PreConnectByteCap`, `ConnectDeadline`).
public struct PreConnectLimits: Sendable {
    /// A 3.1.1 CONNECT cannot exceed ~320 KiB (five fields of at most 64 KiB each); v5 adds
    /// properties that real clients keep small. Larger ones are refused from their fixed header.
    static let maximumConnectSize = 1 << 20
    /// What a WebSocket client may send before its CONNECT besides the CONNECT: the HTTP upgrade
    /// request and frame headers.
    static let webSocketAllowance = 64 << 10

    /// Shared by every listener of the broker.
    public var budget: ConnectingBytesBudget
    /// Whatever the peer does, a connection that has not passed its CONNECT by then is closed.
    public var timeout: TimeAmount
    /// The whole-packet limit (`max_packet_size`, or MQTT's own); also bounds WebSocket frames.
    public var maximumPacketSize: Int
    /// Receives one line for each connection refused or timed out here.
    public var log: @Sendable (String) -> Void

    public init(budget: ConnectingBytesBudget = ConnectingBytesBudget(limit: 64 << 20),
                timeout: TimeAmount = .seconds(10), maximumPacketSize: Int = maximumVariableByteInteger + 5,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.budget = budget
        self.timeout = timeout
        self.maximumPacketSize = maximumPacketSize
        self.log = log
    }

    /// Largest CONNECT accepted, fixed header included.
    var connectSizeLimit: Int { min(Self.maximumConnectSize, maximumPacketSize) }

    /// Says in the log why the connection is refused and closes it. The caller gives its reservation back
    /// first: closing runs `channelInactive` at once, which gives back too.
    func refuse(_ context: ChannelHandlerContext, _ why: String) {
        log("Client \(Self.peer(of: context.channel)) \(why), disconnecting.")
        context.close(promise: nil)
    }

    /// `127.0.0.1:50312`, as the broker's other log lines name a client before it has an id.
    static func peer(of channel: any Channel) -> String {
        guard let address = channel.remoteAddress else { return "unknown" }
        return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
    }
}

/// Sent towards the head of the pipeline by `ConnectPacketGuard` once a whole CONNECT went through to
/// the decoder: the handlers that watch a connection until then step aside.
struct ConnectReceived {}
