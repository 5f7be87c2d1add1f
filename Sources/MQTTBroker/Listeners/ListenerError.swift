#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a listener could not be opened, worded for one clear line on stderr: what failed, which
/// listener of the configuration it is, and what to do about it.
public enum ListenerError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Another program already listens on this address and port.
    case addressInUse(address: String, port: Int, listener: String)
    /// Ports below 1024 need root (or CAP_NET_BIND_SERVICE).
    case permissionDenied(address: String, port: Int, listener: String)
    /// The address is not one of this host's.
    case addressNotAvailable(address: String, port: Int, listener: String)
    /// The bind address is a host name that does not resolve.
    case cannotResolve(host: String, listener: String)
    /// A TLS file (`option` is certfile, keyfile, cafile or capath) is missing, unreadable or not valid.
    case tlsFile(option: String, path: String, reason: String, listener: String)
    /// The TLS settings as a whole were refused (e.g. a key that does not match the certificate).
    case tlsSetup(reason: String, listener: String)
    /// Any other failure to bind, with the system's reason.
    case bindFailed(address: String, port: Int, reason: String, listener: String)

    public var description: String {
        switch self {
        case .addressInUse(let address, let port, let listener):
            return "Error: \(Self.endpoint(address, port)) is already in use (\(listener)). Another broker is probably "
                + "running there: stop it (a running mosquitto, for example: `systemctl stop mosquitto`) "
                + "or pick another port with -p."
        case .permissionDenied(let address, let port, let listener):
            return "Error: permission denied to listen on \(Self.endpoint(address, port)) (\(listener)). Ports below 1024 "
                + "need root or the CAP_NET_BIND_SERVICE capability; pick a port from 1024 up with -p (1883 is MQTT's)."
        case .addressNotAvailable(let address, let port, let listener):
            return "Error: cannot listen on \(Self.endpoint(address, port)) (\(listener)): \(address) is not an address "
                + "of this host. Use one of its addresses, or leave the address out to listen on all of them."
        case .cannotResolve(let host, let listener):
            return "Error: cannot resolve the listener address \"\(host)\" (\(listener))."
        case .tlsFile(let option, let path, let reason, let listener):
            return "Error: cannot use \(option) \"\(path)\" (\(listener)): \(reason)"
        case .tlsSetup(let reason, let listener):
            return "Error: TLS setup failed (\(listener)): \(reason)"
        case .bindFailed(let address, let port, let reason, let listener):
            return "Error: cannot listen on \(Self.endpoint(address, port)) (\(listener)): \(reason)"
        }
    }

    /// `127.0.0.1:1883`, `[::1]:1883`, or a Unix socket path.
    static func endpoint(_ address: String, _ port: Int) -> String {
        if address.hasPrefix("/") { return address }
        return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// Maps a bind failure's errno to the error a user understands.
    static func fromBind(errno code: Int32, address: String, port: Int, listener: String) -> ListenerError {
        if address.hasPrefix("/") && code != EADDRINUSE {
            // A Unix socket: the errno is about the path, not about ports or interfaces.
            return .bindFailed(address: address, port: port, reason: String(cString: strerror(code)) + ".", listener: listener)
        }
        switch code {
        case EADDRINUSE: return .addressInUse(address: address, port: port, listener: listener)
        case EACCES, EPERM: return .permissionDenied(address: address, port: port, listener: listener)
        case EADDRNOTAVAIL: return .addressNotAvailable(address: address, port: port, listener: listener)
        default: return .bindFailed(address: address, port: port, reason: String(cString: strerror(code)), listener: listener)
        }
    }
}

extension BrokerConfiguration.Listener {
    /// Names the listener for error messages: `listener 8883 at mosquitto.conf:12`, or the
    /// default listener (no `listener` line: `port`, `-p`, or no configuration at all).
    public var configurationReference: String {
        let name = transport == .websockets ? "websockets listener \(port)" : "listener \(port)"
        if let (file, line) = definedAt { return "\(name) at \(file):\(line)" }
        return "the default listener on port \(port)"
    }
}
