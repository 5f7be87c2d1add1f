/// A broker address as given with `-L`: `mqtt://[user[:password]@]host[:port][/path]`, with schemes
/// mqtt, mqtts, ws and wss. For mqtt and mqtts the path is mosquitto's topic; for ws and wss it is
/// the WebSocket path (default `/mqtt`) unless a separate topic is given.
public struct BrokerURL: Sendable, Hashable {
    public var transport: Transport
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// What follows the authority, without the leading slash; nil when absent.
    public var path: String?

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case unsupportedScheme(String)
        case missingHost
        case invalidPort(String)

        public var description: String {
            switch self {
            case .unsupportedScheme: "unsupported URL scheme."
            case .missingHost: "URL has no host"
            case .invalidPort(let port): "invalid port \"\(port)\" in URL"
            }
        }
    }

    public init(parsing text: String, tls: TLSOptions = TLSOptions()) throws(ParseError) {
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .unsupportedScheme(text) }
        let scheme = parts[0].lowercased()
        var rest = parts[1]
        var path: String?
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                username = String(credentials[..<colon]).removingPercentEncodingLossy()
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncodingLossy()
            } else {
                username = String(credentials).removingPercentEncodingLossy()
            }
        }
        var hostPart = rest
        var portText: Substring?
        if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw .missingHost }
        host = String(hostPart)

        switch scheme {
        case "mqtt", "tcp": transport = .tcp
        case "mqtts", "ssl", "tls": transport = .tls(tls)
        case "ws": transport = .webSocket(path: "/mqtt", tls: nil)
        case "wss": transport = .webSocket(path: "/mqtt", tls: tls)
        default: throw .unsupportedScheme(scheme)
        }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { throw .invalidPort(String(portText)) }
            port = value
        } else {
            port = transport.defaultPort
        }
        self.path = path
    }
}

extension String {
    /// Decodes %XX escapes; leaves a malformed escape as it is rather than failing.
    func removingPercentEncodingLossy() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
