/// A broker address as given with `-L`: `mqtt://[user[:password]@]host[:port][/path]`, with schemes
/// mqtt, mqtts, ws and wss; an IPv6 host goes in brackets (`[::1]:1884`). The path is mosquitto's topic
/// for every scheme; ws and wss always use the WebSocket path `/mqtt`.
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
        case invalidHost(String)
        case invalidPort(String)

        public var description: String {
            switch self {
            case .unsupportedScheme: "unsupported URL scheme."
            case .missingHost: "URL has no host"
            case .invalidHost(let host): "invalid host \"\(host)\" in URL (an IPv6 address goes in brackets: [::1])"
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
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw .invalidHost(String(rest)) }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidHost(String(rest))
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else {
            if let colon = hostPart.lastIndex(of: ":") {
                portText = hostPart[hostPart.index(after: colon)...]
                hostPart = hostPart[..<colon]
            }
            // A colon or bracket left over is an IPv6 address without brackets: splitting it at the
            // last colon would silently dial the wrong host and port.
            if hostPart.contains(where: { $0 == ":" || $0 == "[" || $0 == "]" }) { throw .invalidHost(String(rest)) }
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
        let source = Array(utf8)
        var bytes: [UInt8] = []
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "%"), index + 2 < source.count,
                let high = Self.hexDigit(source[index + 1]), let low = Self.hexDigit(source[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                // Not an escape: keep the byte and look at the next one, which may start a real escape.
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
