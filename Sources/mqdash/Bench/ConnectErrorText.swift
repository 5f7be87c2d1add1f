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
        if error is NIOSSLError || error is BoringSSLError { return "TLS error: \(error)" }
        return "Connecting to \(host):\(port): \(error)"
    }
}
