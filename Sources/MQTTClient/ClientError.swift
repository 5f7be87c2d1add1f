import MQTTCore
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Why the client could not connect or lost its connection, worded for a one-line error message.
public enum MQTTClientError: Error, Sendable, CustomStringConvertible {
    case connectionRefused(host: String, port: Int)
    case nameNotResolved(host: String)
    case connectTimeout(host: String, port: Int)
    case tlsFailure(String)
    case webSocketUpgradeFailed(String)
    /// The broker answered CONNACK with a failure.
    case refused(ReasonCode, version: MQTTVersion)
    /// The broker closed the connection (v5: with this DISCONNECT reason).
    case disconnectedByServer(ReasonCode?, reasonString: String?)
    case connectionLost(String)
    case keepAliveTimeout
    case protocolViolation(String)
    case decodeFailed(MQTTDecodeError)
    /// A packet of ours above the broker's maximum (v5 CONNACK); not sent.
    case packetTooLarge(size: Int, maximum: Int)
    /// The broker sent a packet above our `maximumPacketSize`, refused from its fixed header before the body
    /// was buffered; `size` is nil for a WebSocket frame over the same bound, whose decoder does not say how big it was.
    case incomingPacketTooLarge(size: Int?, maximum: Int)
    case noPacketIDAvailable
    case notConnected
    case closed
    case io(String)

    public var description: String {
        switch self {
        case .connectionRefused(let host, let port): "Connection refused by \(host):\(port)"
        case .nameNotResolved(let host): "Unable to resolve host name \"\(host)\""
        case .connectTimeout(let host, let port): "Connection to \(host):\(port) timed out"
        case .tlsFailure(let reason): "TLS error: \(reason)"
        case .webSocketUpgradeFailed(let reason): "WebSocket upgrade failed: \(reason)"
        case .refused(let code, let version):
            version == .v5 ? "Connection Refused: \(code.name.lowercased())." : ConnectReturnCode.description(code.rawValue)
        case .disconnectedByServer(let code, let reasonString):
            "Disconnected by the broker" + (code.map { ": \($0.name)" } ?? "") + (reasonString.map { " (\($0))" } ?? "")
        case .connectionLost(let reason): "Connection lost: \(reason)"
        case .keepAliveTimeout: "Connection lost: no answer from the broker within the keep alive"
        case .protocolViolation(let what): "Protocol error: \(what)"
        case .decodeFailed(let error): "Malformed packet from the broker: \(error)"
        case .packetTooLarge(let size, let maximum): "Packet of \(size) bytes exceeds the broker's maximum of \(maximum)"
        case .incomingPacketTooLarge(let size?, let maximum): "the broker sent a \(size)-byte packet, above the \(maximum)-byte maximum"
        case .incomingPacketTooLarge(nil, let maximum): "the broker sent a WebSocket frame above the \(maximum)-byte maximum"
        case .noPacketIDAvailable: "All 65535 packet identifiers are in flight"
        case .notConnected: "Not connected"
        case .closed: "Client is closed"
        case .io(let reason): reason
        }
    }

    /// What a v5 client tells the broker in DISCONNECT before closing over this error, if anything.
    var disconnectReasonCode: ReasonCode? {
        switch self {
        case .incomingPacketTooLarge: .packetTooLarge
        case .decodeFailed(let error): error.reasonCode
        default: nil
        }
    }

    /// Names what the pipeline refuses: the decoder's errors, and a WebSocket frame over `maximumPacketSize`
    /// (the frame decoder's bound, see `ChannelSetup`); anything else is passed on as it is.
    static func fromPipeline(_ error: any Error, maximumPacketSize: Int) -> any Error {
        switch error {
        case MQTTDecodeError.packetTooLarge(let size, let maximum): MQTTClientError.incomingPacketTooLarge(size: size, maximum: maximum)
        case let decodeError as MQTTDecodeError: MQTTClientError.decodeFailed(decodeError)
        case NIOWebSocketError.invalidFrameLength: MQTTClientError.incomingPacketTooLarge(size: nil, maximum: maximumPacketSize)
        default: error
        }
    }

    /// Maps what NIO reports while connecting to the error a user understands.
    static func fromConnect(_ error: any Error, host: String, port: Int) -> MQTTClientError {
        if let error = error as? MQTTClientError { return error }
        if error is NIOConnectionError || error is ChannelError {
            if let connectionError = error as? NIOConnectionError {
                if connectionError.dnsAAAAError != nil || connectionError.dnsAError != nil, connectionError.connectionErrors.isEmpty {
                    return .nameNotResolved(host: host)
                }
            }
            if case ChannelError.connectTimeout = error { return .connectTimeout(host: host, port: port) }
            return .connectionRefused(host: host, port: port)
        }
        if let ioError = error as? IOError {
            if ioError.errnoCode == ECONNREFUSED { return .connectionRefused(host: host, port: port) }
            return .connectionLost(String(cString: strerror(ioError.errnoCode)))
        }
        let text = String(describing: error)
        if error is NIOSSLError || error is BoringSSLError || text.contains("SSL") {
            return .tlsFailure(readableTLSReason(text))
        }
        return .io(text)
    }

    /// BoringSSL's errors read like `error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at ...`;
    /// users need the last part, with the usual causes.
    private static func readableTLSReason(_ text: String) -> String {
        let known: [(String, String)] = [
            ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed (untrusted CA, or the certificate does not name this host)"),
            ("WRONG_VERSION_NUMBER", "wrong version number (is this port really TLS?)"),
            ("TLSV1_ALERT_UNKNOWN_CA", "the broker does not trust our client certificate"),
            ("CERTIFICATE_REQUIRED", "the broker requires a client certificate (--cert and --key)"),
        ]
        for (code, meaning) in known where text.contains(code) { return meaning }
        return text
    }
}
