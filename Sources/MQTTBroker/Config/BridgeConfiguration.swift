import Foundation
import MQTTCore

/// One `connection NAME` block of mosquitto.conf: a bridge to another broker.
public struct BridgeConfiguration: Sendable, Equatable {
    public enum Direction: String, Sendable, Equatable {
        case out, `in`, both

        var forwardsOut: Bool { self != .in }
        var forwardsIn: Bool { self != .out }
    }

    /// `topic PATTERN [in|out|both [QOS [LOCAL_PREFIX [REMOTE_PREFIX]]]]`: locally the filter is
    /// LOCAL_PREFIX + PATTERN, on the remote REMOTE_PREFIX + PATTERN (mosquitto's rules).
    public struct TopicRule: Sendable, Equatable {
        public var pattern: String
        public var direction: Direction
        public var qos: QoS
        public var localPrefix: String
        public var remotePrefix: String

        public var localFilter: String { localPrefix + pattern }
        public var remoteFilter: String { remotePrefix + pattern }
    }

    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// `ws://host:port/path` in `address`: the link runs over WebSocket (wss with the bridge's TLS files).
        public var webSocketPath: String?

        public init(host: String, port: Int, webSocketPath: String? = nil) {
            self.host = host
            self.port = port
            self.webSocketPath = webSocketPath
        }
    }

    public struct TLS: Sendable, Equatable {
        public var cafile: String?
        public var capath: String?
        public var certfile: String?
        public var keyfile: String?
        public var insecure = false
        /// `bridge_tls_version`: exactly this version, as mosquitto pins it.
        public var version: String?
        /// `bridge_alpn`.
        public var alpn: String?
        /// `bridge_identity` and `bridge_psk` (hex): TLS with a pre-shared key instead of certificates.
        public var pskIdentity: String?
        public var pskHex: String?

        /// mosquitto turns TLS on for a bridge when it is given a CA to check the remote against, or a key.
        public var isEnabled: Bool { cafile != nil || capath != nil || pskHex != nil }
    }

    public enum StartType: String, Sendable, Equatable {
        case automatic, lazy, once
    }

    public var name: String
    public var addresses: [Address] = []
    public var roundRobin = false
    public var topics: [TopicRule] = []
    public var protocolVersion = MQTTVersion.v3_1_1
    /// `bridge_protocol_version mqttv31`: 3.1.1's packets behind MQTT 3.1's CONNECT header ("MQIsdp", level 3).
    public var speaksMQTT31 = false
    /// The remote session ends with the link (`cleansession true`) or is kept (default false).
    public var cleanSession = false
    /// The local session of the bridge's queue; default: as `cleanSession`.
    public var localCleanSession: Bool?
    public var remoteClientID: String?
    public var localClientID: String?
    public var remoteUsername: String?
    public var remotePassword: String?
    public var localUsername: String?
    public var localPassword: String?
    public var tls = TLS()
    public var tryPrivate = true
    public var notifications = true
    public var notificationTopic: String?
    public var notificationsLocalOnly = false
    public var keepalive = 60
    public var startType = StartType.automatic
    /// `start_type lazy`: the link comes up once this many messages wait for it...
    public var threshold = 10
    /// ...and goes down after this many seconds with nothing carried.
    public var idleTimeout = 60
    /// `bridge_bind_address`: the local IP address the remote connection leaves from.
    public var bindAddress: String?
    /// `restart_timeout BASE [CAP]`: a constant wait, or a backoff from BASE doubling up to CAP.
    public var restartBase = 5
    public var restartCap: Int? = 30
    public var outgoingRetain = true
    /// Messages larger than this are not forwarded to the remote (0: no limit).
    public var maxPacketSize = 0
    public var attemptUnsubscribe = true
    /// Where the `connection` line is.
    public var file = ""
    public var line = 0

    public init(name: String) {
        self.name = name
    }

    /// mosquitto's default remote client id: `HOSTNAME.NAME`.
    public var effectiveRemoteClientID: String {
        remoteClientID ?? "\(ProcessInfo.processInfo.hostName).\(name)"
    }

    /// mosquitto's default local client id: `local.REMOTE_CLIENT_ID`.
    public var effectiveLocalClientID: String {
        localClientID ?? "local.\(effectiveRemoteClientID)"
    }

    /// mosquitto's default: `$SYS/broker/connection/REMOTE_CLIENT_ID/state`, retained `1` up and `0` down.
    public var effectiveNotificationTopic: String {
        notificationTopic ?? "$SYS/broker/connection/\(effectiveRemoteClientID)/state"
    }
}
