/// One `[profiles.NAME]` table: what a command line can say about a connection, each setting optional
/// so that a flag given on the command line wins and an unset one keeps the command's default.
public struct ConnectionProfile: Equatable, Sendable {
    public var name: String
    /// The file and line of its table, for messages about the profile as a whole (a failing password command).
    public var file: String
    public var line: Int?

    public var host: String?
    public var port: Int?
    /// mqtt(s)://[user[:password]@]host[:port][/topic] or ws(s)://, as -L takes it.
    public var url: String?
    public var user: String?
    public var password: PasswordSource?
    public var clientID: String?
    public var clientIDPrefix: String?
    /// As -V takes it: 5, mqttv5, 311 or mqttv311.
    public var protocolVersion: String?
    public var keepAlive: Int?
    public var cafile: String?
    public var capath: String?
    public var cert: String?
    public var key: String?
    public var insecure: Bool?
    public var maxPacket: Int?
    /// The dashboard's subscriptions (sub and record take them when no -t is given).
    public var subscriptions: [ProfileSubscription] = []
    /// `qos`: the QoS of subscriptions that name none, and of -t filters given with the profile.
    public var qos: Int?
    public var theme: String?
    public var logSize: Int?
    public var maxPayload: Int?
    public var history: Int?

    public init(name: String, file: String, line: Int? = nil) {
        self.name = name
        self.file = file
        self.line = line
    }

    /// Where the broker is, as `mqdash profiles` shows it: the URL, or mqtt(s)://host:port.
    public var displayURL: String {
        if let url { return Self.withoutPassword(url) }
        let tls = cafile != nil || capath != nil || cert != nil || insecure == true
        let scheme = tls ? "mqtts" : "mqtt"
        let portText = port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host ?? "localhost")\(portText)"
    }

    /// A URL's user info may carry a password: a listing shows only the user.
    static func withoutPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}

public struct ProfileSubscription: Equatable, Sendable {
    public var filter: String
    public var qos: Int?

    public init(filter: String, qos: Int? = nil) {
        self.filter = filter
        self.qos = qos
    }
}

/// Where a profile's password comes from. Only `.literal` puts it in the file.
public enum PasswordSource: Equatable, Sendable {
    case literal(String)
    /// `password_command`: run without a shell, the first line of its output.
    case command(String)
    /// `password_env`: the name of an environment variable.
    case environment(String)
}

/// A `[[decoders]]` rule as written; the decoder library reads `decode`.
public struct DecoderRuleSetting: Equatable, Sendable {
    public var filter: String
    public var decode: String
    public var file: String
    public var line: Int?

    public init(filter: String, decode: String, file: String, line: Int?) {
        self.filter = filter
        self.decode = decode
        self.file = file
        self.line = line
    }
}
