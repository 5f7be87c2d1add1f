import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import NIOCore

/// The connection flags mosquitto_sub and mosquitto_pub share, with their letters.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Connection profile NAME from ~/.config/mqdash/config.toml ('mqdash profiles' lists them); flags given here override it. Without -h, -L and --profile, the profile 'default' is used when there is one.")
    var profile: String?

    // Optional rather than defaulted, so that a profile can tell "not given" from "localhost".
    @Option(name: .customShort("h"), help: "MQTT host to connect to (default localhost).")
    var host: String?

    @Option(name: .customShort("p"), help: "Network port (1883, or 8883 with TLS).")
    var port: Int?

    @Option(name: [.customShort("L"), .customLong("url")], help: "mqtt(s)://[username[:password]@]host[:port]/topic, or ws(s)://.")
    var url: String?

    @Option(name: .customShort("u"), help: "User name.")
    var username: String?

    @Option(name: [.customShort("P"), .customLong("pw")], help: "Password.")
    var password: String?

    @Option(name: .customShort("i"), help: "Client id.")
    var clientID: String?

    @Option(name: .customShort("I"), help: "Client id prefix; the process id is appended.")
    var clientIDPrefix: String?

    @Option(name: .customShort("k"), help: "Keep alive in seconds (default 60).")
    var keepAlive: UInt16?

    @Option(name: .customShort("V"), help: "Protocol version: 5, mqttv5, 311 or mqttv311 (3.1.1 unless -D is given).")
    var protocolVersion: String?

    @Flag(name: .customShort("c"), help: "Keep the session (no clean session / clean start).")
    var disableCleanSession = false

    // Unconditional, or "-x -1" (mosquitto's "never") reads as a missing value followed by a flag.
    @Option(name: .customShort("x"), parsing: .unconditional, help: "v5 session expiry interval in seconds (-1: never).")
    var sessionExpiry: Int64?

    @Flag(name: .customShort("d"), help: "Print every packet sent and received.")
    var debug = false

    @Flag(help: "Do not print error messages.")
    var quiet = false

    @Option(name: .customShort("D"), parsing: .upToNextOption, help: "v5 property: -D command identifier value.")
    var propertyArguments: [String] = []

    @Option(
        name: .customLong("max-packet"),
        help: ArgumentHelp(
            "Largest packet accepted from the broker, in bytes (default 16777216 = 16 MiB); a larger one ends the connection with an error. v5 announces it in CONNECT, and the broker then drops larger messages for us unseen. Wins over -D connect maximum-packet-size.",
            valueName: "bytes"))
    var maxPacket: Int?

    @Option(help: "Will topic.") var willTopic: String?
    @Option(help: "Will payload.") var willPayload: String?
    @Option(help: "Will QoS.") var willQos: UInt8 = 0
    @Flag(help: "Retain the will.") var willRetain = false

    @Option(help: "CA certificates (PEM) to trust; enables TLS.") var cafile: String?
    @Option(help: "Directory of CA certificates; enables TLS.") var capath: String?
    @Option(help: "Client certificate (PEM).") var cert: String?
    @Option(help: "Client key (PEM).") var key: String?
    @Flag(help: "Do not check the server certificate's host name.") var insecure = false
    @Flag(help: "Accepted for compatibility: Nagle's algorithm is always off.") var nodelay = false

    /// The protocol version flag as a version, or a usage error.
    func version() throws -> MQTTVersion {
        // Like mosquitto's tools: -D properties without -V mean MQTT 5.
        guard let protocolVersion else { return propertyArguments.isEmpty ? .v3_1_1 : .v5 }
        switch protocolVersion.lowercased() {
        case "5", "mqttv5": return .v5
        case "311", "mqttv311": return .v3_1_1
        case "31", "mqttv31": throw ValidationError("MQTT 3.1 is not supported; use -V mqttv311 or -V 5.")
        default: throw ValidationError("Invalid protocol version '\(protocolVersion)'; use 5, mqttv5, 311 or mqttv311.")
        }
    }

    var tlsOptions: TLSOptions? {
        guard cafile != nil || capath != nil || cert != nil || insecure else { return nil }
        return TLSOptions(caFile: cafile, caPath: capath, certificateFile: cert, keyFile: key, insecure: insecure)
    }

    /// What a command that stays subscribed needs: a configuration that reconnects, the -D properties, and the
    /// topic of an mqtt:// URL.
    func subscriberConfiguration() throws -> (MQTTClientConfiguration, V5PropertyArguments, urlTopic: String?) {
        var (configuration, properties, urlTopic) = try publisherConfiguration()
        configuration.reconnect = ReconnectPolicy()
        return (configuration, properties, urlTopic)
    }

    /// The configuration, the `-D` properties and an mqtt:// URL's topic, for a client that does not reconnect.
    func publisherConfiguration() throws -> (MQTTClientConfiguration, V5PropertyArguments, urlTopic: String?) {
        let properties = try V5PropertyArguments(parsing: propertyArguments, version: try version())
        var urlTopic: String?
        let configuration = try clientConfiguration(properties: properties, urlTopic: &urlTopic)
        return (configuration, properties, urlTopic)
    }

    /// Builds the client configuration; `urlTopic` receives the topic of an mqtt:// URL.
    func clientConfiguration(properties: V5PropertyArguments, urlTopic: inout String?) throws -> MQTTClientConfiguration {
        let version = try version()
        var host = self.host ?? "localhost"
        var port = self.port
        var username = self.username
        var password = self.password
        var transport: Transport = tlsOptions.map { .tls($0) } ?? .tcp
        if let url {
            let parsed: BrokerURL
            do { parsed = try BrokerURL(parsing: url, tls: tlsOptions ?? TLSOptions()) } catch { throw ValidationError("\(error)") }
            host = parsed.host
            port = parsed.port
            username = parsed.username ?? username
            password = parsed.password ?? password
            transport = parsed.transport
            // mosquitto reads the URL's path as the topic for every scheme; WebSockets use /mqtt.
            if let path = parsed.path, !path.isEmpty { urlTopic = path }
        }
        let clientID: String
        if let id = self.clientID {
            clientID = id
        } else if let prefix = clientIDPrefix {
            clientID = prefix + String(ProcessInfo.processInfo.processIdentifier)
        } else {
            // Like mosquitto's clients: an empty id, which the broker replaces with one of its own.
            clientID = ""
        }
        if disableCleanSession && clientID.isEmpty {
            throw ValidationError("You must provide a client id if you are using the -c option.")
        }
        guard (0...2).contains(willQos) else { throw ValidationError("Invalid will QoS \(willQos), must be 0, 1 or 2.") }
        var will: Will?
        if let willTopic {
            do throws(TopicValidationError) { try Topic.validateName(willTopic) } catch {
                throw ValidationError("Invalid will topic '\(willTopic)': \(error)")
            }
            will = Will(
                topic: willTopic, payload: ByteBuffer(string: willPayload ?? ""), qos: QoS(rawValue: willQos)!,
                retain: willRetain, properties: properties.will)
        } else if willPayload != nil || willRetain {
            throw ValidationError("Will payload, QoS or retain given without --will-topic.")
        }
        var connectProperties = properties.connect
        if version == .v5 {
            // mosquitto: -c keeps the session forever unless -x says otherwise. An explicit -x replaces a
            // `-D connect session-expiry-interval`; without -x that one wins over -c's default. Either way
            // the property goes out once: brokers drop a CONNECT that repeats it.
            if let sessionExpiry {
                connectProperties.items.removeAll { $0.identifier == .sessionExpiryInterval }
                if sessionExpiry != 0 { connectProperties.append(.sessionExpiryInterval(Self.expiryValue(sessionExpiry))) }
            } else if disableCleanSession && connectProperties.sessionExpiryInterval == nil {
                connectProperties.append(.sessionExpiryInterval(UInt32.max))
            }
        }
        var configuration = MQTTClientConfiguration(
            host: host, port: port, transport: transport, version: version, clientID: clientID,
            cleanStart: !disableCleanSession, keepAlive: keepAlive ?? 60, username: username, password: password, will: will,
            connectProperties: connectProperties, tracePackets: debug)
        // The client enforces these limits itself, so -D values for them become its settings;
        // --max-packet, the flag made for it, wins over -D (as -x does over -D session-expiry-interval).
        if let size = connectProperties.maximumPacketSize { configuration.maximumPacketSize = Int(size) }
        if let maxPacket {
            guard (1...MQTTClientConfiguration.protocolMaximumPacketSize).contains(maxPacket) else {
                throw ValidationError(
                    "--max-packet \(maxPacket): must be between 1 and \(MQTTClientConfiguration.protocolMaximumPacketSize) bytes.")
            }
            configuration.maximumPacketSize = maxPacket
        }
        if let aliases = connectProperties.topicAliasMaximum { configuration.topicAliasMaximum = aliases }
        return configuration
    }

    /// -x in seconds, -1 meaning never.
    private static func expiryValue(_ seconds: Int64) -> UInt32 {
        seconds < 0 ? UInt32.max : UInt32(clamping: seconds)
    }
}
