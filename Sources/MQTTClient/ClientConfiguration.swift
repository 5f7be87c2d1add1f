import MQTTCore
import NIOCore

/// TLS settings, named after mosquitto's client flags.
public struct TLSOptions: Sendable, Hashable {
    /// PEM file of the CA certificates to trust; the system's roots when nil.
    public var caFile: String?
    /// Directory of CA certificates (hashed names, as `c_rehash` makes them).
    public var caPath: String?
    /// PEM client certificate and its key, for brokers that require one.
    public var certificateFile: String?
    public var keyFile: String?
    /// Skip checking that the certificate names the host (mosquitto's `--insecure`); the chain is still verified.
    public var insecure: Bool
    /// Speak exactly this TLS version (mosquitto's `tls_version` / `bridge_tls_version`); nil: 1.2 and up.
    public var version: TLSVersionChoice?
    /// ALPN protocols offered in the handshake (`bridge_alpn`).
    public var applicationProtocols: [String] = []
    /// TLS with a pre-shared key instead of certificates (`bridge_identity` / `bridge_psk`): TLS 1.2 PSK cipher
    /// suites, no certificate checked.
    public var preSharedKey: PreSharedKey?

    public init(caFile: String? = nil, caPath: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.caPath = caPath
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.insecure = insecure
    }
}

/// A TLS-PSK identity and its key.
public struct PreSharedKey: Sendable, Hashable {
    public var identity: String
    public var key: [UInt8]

    public init(identity: String, key: [UInt8]) {
        self.identity = identity
        self.key = key
    }

    /// mosquitto's form: hexadecimal without 0x (an odd count of digits reads as if it had a leading 0).
    public init?(identity: String, hex: String) {
        var digits = Array(hex.utf8)
        if digits.count % 2 == 1 { digits.insert(UInt8(ascii: "0"), at: 0) }
        var key: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            key.append(byte)
        }
        guard !key.isEmpty else { return nil }
        self.init(identity: identity, key: key)
    }
}

/// A TLS version as mosquitto names them.
public enum TLSVersionChoice: String, Sendable, Hashable, CaseIterable {
    case tlsv1_1 = "tlsv1.1"
    case tlsv1_2 = "tlsv1.2"
    case tlsv1_3 = "tlsv1.3"
}

/// How bytes reach the broker.
public enum Transport: Sendable, Hashable {
    case tcp
    case tls(TLSOptions)
    /// MQTT over WebSocket at `path`, optionally inside TLS (`wss://`).
    case webSocket(path: String, tls: TLSOptions?)

    public var defaultPort: Int {
        switch self {
        case .tcp: 1883
        case .tls: 8883
        case .webSocket(_, let tls): tls == nil ? 80 : 443
        }
    }

    public var scheme: String {
        switch self {
        case .tcp: "mqtt"
        case .tls: "mqtts"
        case .webSocket(_, let tls): tls == nil ? "ws" : "wss"
        }
    }
}

/// Exponential backoff with jitter between reconnect attempts.
public struct ReconnectPolicy: Sendable, Hashable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// Fraction of each delay randomised, so that many clients do not reconnect in step.
    public var jitter: Double

    public init(initialDelay: Duration = .milliseconds(250), maximumDelay: Duration = .seconds(30), jitter: Double = 0.2) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.jitter = jitter
    }

    /// Delay before attempt `attempt` (1-based).
    public func delay(attempt: Int, random: Double = Double.random(in: -1...1)) -> Duration {
        let exponent = min(attempt - 1, 20)
        let base = min(initialDelay * (1 << exponent), maximumDelay)
        let factor = 1 + jitter * random
        return base * factor
    }
}

/// Everything needed to connect; defaults match mosquitto_sub's.
public struct MQTTClientConfiguration: Sendable {
    /// 16 MiB: far above what a dashboard shows, far below MQTT's 256 MiB ceiling, which a hostile or broken
    /// broker could otherwise make us buffer (one 250 MB PUBLISH took `mqdash sub` to 696 MB resident).
    public static let defaultMaximumPacketSize = 16_777_216
    /// MQTT's own ceiling: a remaining length of 268 435 455 plus a 5-byte fixed header; nothing above needs announcing.
    public static let protocolMaximumPacketSize = maximumVariableByteInteger + 5

    public var host: String
    public var port: Int
    public var transport: Transport
    public var version: MQTTVersion
    public var clientID: String
    public var cleanStart: Bool
    public var keepAlive: UInt16
    public var username: String?
    public var password: String?
    public var will: Will?
    /// Extra v5 CONNECT properties (session expiry, user properties, ...).
    public var connectProperties: Properties
    /// nil: a lost connection ends the client, like mosquitto_sub.
    public var reconnect: ReconnectPolicy?
    public var connectTimeout: Duration
    /// Largest packet (fixed header included) we accept from the broker; announced to v5 brokers, and
    /// enforced from the fixed header on both versions, before the body is buffered. Also bounds a
    /// WebSocket frame. Wins over the same property in `connectProperties`.
    public var maximumPacketSize: Int
    /// Topic aliases we let a v5 broker use towards us. Wins over the same property in `connectProperties`.
    public var topicAliasMaximum: UInt16
    /// Emit `.packetSent`/`.packetReceived` events (for `-d` traces).
    public var tracePackets: Bool
    /// Say in CONNECT that we are a broker's bridge (mosquitto's `try_private`: the protocol level's top bit),
    /// so that a broker that knows the bit never sends our own messages back.
    public var isBridge = false
    /// Speak MQTT 3.1 (protocol name "MQIsdp", level 3) with `version` `.v3_1_1`: the packets are 3.1.1's, only
    /// CONNECT says otherwise. For bridges to old brokers (`bridge_protocol_version mqttv31`).
    public var speaksMQTT31 = false
    /// The local IP address the connection leaves from (`bridge_bind_address`); nil: the system chooses.
    public var bindAddress: String?
    /// Our own cap on QoS 1/2 messages unacknowledged at once; the broker's receive maximum (v5) may lower it.
    /// A 3.1.1 broker never says its limit: mosquitto refuses past its `max_inflight_messages` (20) and, on
    /// 3.1.1, closes the connection, so a bridge keeps to the same number. nil: only the broker's limit.
    public var maximumInFlight: Int?

    public init(
        host: String = "localhost", port: Int? = nil, transport: Transport = .tcp, version: MQTTVersion = .v3_1_1,
        clientID: String = "", cleanStart: Bool = true, keepAlive: UInt16 = 60, username: String? = nil,
        password: String? = nil, will: Will? = nil, connectProperties: Properties = [], reconnect: ReconnectPolicy? = nil,
        connectTimeout: Duration = .seconds(10), maximumPacketSize: Int = defaultMaximumPacketSize, topicAliasMaximum: UInt16 = 64,
        tracePackets: Bool = false
    ) {
        self.host = host
        self.port = port ?? transport.defaultPort
        self.transport = transport
        self.version = version
        self.clientID = clientID
        self.cleanStart = cleanStart
        self.keepAlive = keepAlive
        self.username = username
        self.password = password
        self.will = will
        self.connectProperties = connectProperties
        self.reconnect = reconnect
        self.connectTimeout = connectTimeout
        self.maximumPacketSize = maximumPacketSize
        self.topicAliasMaximum = topicAliasMaximum
        self.tracePackets = tracePackets
    }

    /// The broker as a user would write it, e.g. `mqtt://127.0.0.1:1883`.
    public var brokerURL: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var url = "\(transport.scheme)://\(hostPart):\(port)"
        if case .webSocket(let path, _) = transport { url += path }
        return url
    }

    func makeConnectPacket(cleanStart: Bool) -> ConnectPacket {
        var properties = connectProperties
        if version == .v5 {
            // The client enforces the two fields, so they are what is announced; keeping the same
            // property from connectProperties too would send it twice, which brokers refuse (spec 2.2.2.2).
            properties.items.removeAll { $0.identifier == .maximumPacketSize || $0.identifier == .topicAliasMaximum }
            if maximumPacketSize < Self.protocolMaximumPacketSize { properties.append(.maximumPacketSize(UInt32(maximumPacketSize))) }
            if topicAliasMaximum > 0 { properties.append(.topicAliasMaximum(topicAliasMaximum)) }
        }
        var passwordBuffer: ByteBuffer?
        if let password { passwordBuffer = ByteBuffer(string: password) }
        return ConnectPacket(
            version: version, clientID: clientID, cleanStart: cleanStart, keepAlive: keepAlive, username: username,
            password: passwordBuffer, will: will, properties: properties, isMQTT31: speaksMQTT31 && version == .v3_1_1,
            isBridge: isBridge)
    }
}
