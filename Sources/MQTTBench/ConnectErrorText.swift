import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// Words for what NIO reports when a connection cannot be opened.
enum ConnectErrorText {
    static func describe(_ error: any Error, host: String, port: Int) -> String {
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.isEmpty, connectionError.dnsAError != nil || connectionError.dnsAAAAError != nil {
                return "Unable to resolve host name \"\(host)\""
            }
            if let first = connectionError.connectionErrors.first { return describe(first.error, host: host, port: port) }
        }
        if case ChannelError.connectTimeout = error { return "Connection to \(host):\(port) timed out" }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ECONNREFUSED: return "Connection refused by \(host):\(port)"
            case EMFILE, ENFILE: return "Too many open files (raise the limit with ulimit -n)"
            case EADDRNOTAVAIL: return "No local port left to connect to \(host):\(port) (EADDRNOTAVAIL)"
            default: return "Connecting to \(host):\(port): \(String(cString: strerror(ioError.errnoCode)))"
            }
        }
        if let tls = tlsReason(error) { return tls }
        return "Connecting to \(host):\(port): \(error)"
    }

    /// A TLS failure in words (BoringSSL's look like `error:1000007d:SSL routines:...:CERTIFICATE_VERIFY_FAILED at ...`).
    static func tlsReason(_ error: any Error) -> String? {
        let text = String(describing: error)
        guard error is NIOSSLError || error is BoringSSLError || text.contains("SSL") else { return nil }
        let known: [(String, String)] = [
            ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed (untrusted CA, or the certificate does not name this host)"),
            ("WRONG_VERSION_NUMBER", "wrong version number (is this port really TLS?)"),
            ("TLSV1_ALERT_UNKNOWN_CA", "the broker does not trust our client certificate"),
            ("CERTIFICATE_REQUIRED", "the broker requires a client certificate (--cert and --key)"),
        ]
        for (code, meaning) in known where text.contains(code) { return "TLS error: " + meaning }
        return "TLS error: " + text
    }
}
