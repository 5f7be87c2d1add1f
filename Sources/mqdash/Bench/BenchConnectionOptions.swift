import ArgumentParser
import MQTTBench
import MQTTClient
import MQTTCore
import NIOCore

/// The connection flags of `mqdash sub` / `pub` that make sense for many clients at once. -c and -I
/// are taken by the load shape (publishers, interval), as in emqtt-bench, so there is no client id
/// flag: ids are `--prefix` plus the role and index.
struct BenchConnectionOptions: ParsableArguments, ProfileFillableOptions {
    @Option(help: "Connection profile NAME from ~/.config/mqdash/config.toml (host, port, URL, user, password, version, keep alive, TLS files); flags given here override it. Without -h, -L and --profile, the profile 'default' is used when there is one.")
    var profile: String?

    @Option(name: .customShort("h"), help: "MQTT host to connect to (default localhost).")
    var host: String?

    @Option(name: .customShort("p"), help: "Network port (1883, or 8883 with TLS).")
    var port: Int?

    @Option(name: [.customShort("L"), .customLong("url")], help: "mqtt(s)://[username[:password]@]host[:port].")
    var url: String?

    @Option(name: .customShort("u"), help: "User name.")
    var username: String?

    @Option(name: [.customShort("P"), .customLong("pw")], help: "Password.")
    var password: String?

    @Option(name: .customShort("V"), help: "Protocol version: 5, mqttv5, 311 or mqttv311 (default 3.1.1).")
    var protocolVersion: String?

    @Option(name: .customShort("k"), help: "Keep alive in seconds (default 60).")
    var keepAlive: UInt16?

    @Option(help: "Client id prefix; ids are PREFIX-pub-N, PREFIX-sub-N, PREFIX-conn-N.")
    var prefix: String = "mqdash-bench"

    @Flag(help: "Persistent sessions (clean session 0; v5: session expiry 300 s), so that a broker with persistence stores every subscriber's messages.")
    var persistent = false

    @Option(help: "Event loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "CA certificates (PEM) to trust; enables TLS.") var cafile: String?
    @Option(help: "Directory of CA certificates; enables TLS.") var capath: String?
    @Option(help: "Client certificate (PEM).") var cert: String?
    @Option(help: "Client key (PEM).") var key: String?
    @Flag(help: "Do not check the server certificate's host name.") var insecure = false

    /// Where and how every bench client connects; `applyingProfile` false checks the flags alone (validate()
    /// runs before run(), and a password_command should run once).
    func target(applyingProfile: Bool = true) throws -> BenchTarget {
        if applyingProfile { return try self.applyingProfile().options.target(applyingProfile: false) }
        let keepAlive = self.keepAlive ?? 60
        let version: MQTTVersion
        switch protocolVersion?.lowercased() {
        case nil, "311", "mqttv311": version = .v3_1_1
        case "5", "mqttv5": version = .v5
        case let other?: throw ValidationError("Invalid protocol version '\(other)'; use 5, mqttv5, 311 or mqttv311.")
        }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256.") }
        if let port, !(1...65535).contains(port) { throw ValidationError("Invalid port \(port).") }
        guard keepAlive > 0 else { throw ValidationError("-k must be at least 1 second (bench clients ping to stay connected).") }
        var tls: TLSOptions?
        if cafile != nil || capath != nil || cert != nil || insecure {
            tls = TLSOptions(caFile: cafile, caPath: capath, certificateFile: cert, keyFile: key, insecure: insecure)
        }
        var host = self.host ?? "localhost"
        var port = self.port
        var username = self.username
        var password = self.password
        if let url {
            let parsed: BrokerURL
            do { parsed = try BrokerURL(parsing: url, tls: tls ?? TLSOptions()) } catch { throw ValidationError("Invalid URL '\(url)': \(error)") }
            switch parsed.transport {
            case .tcp: tls = nil
            case .tls(let options): tls = options
            case .webSocket: throw ValidationError("bench speaks MQTT over TCP or TLS; ws:// and wss:// are not supported.")
            }
            host = parsed.host
            port = parsed.port
            username = parsed.username ?? username
            password = parsed.password ?? password
        }
        return BenchTarget(
            host: host, port: port ?? (tls == nil ? 1883 : 8883), tls: tls, version: version, keepAlive: keepAlive,
            username: username, password: password, clientIDPrefix: prefix, threads: threads ?? System.coreCount,
            persistentSessions: persistent)
    }
}
