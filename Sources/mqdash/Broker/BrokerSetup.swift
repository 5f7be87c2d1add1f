import Foundation
import MQTTBroker

/// Turns the command line into a broker configuration, and start-up failures into advice.
enum BrokerSetup {
    /// The server for `configuration` and the log it writes to; a log file that cannot be opened ends the start
    /// with its error.
    static func server(for configuration: BrokerConfiguration, verbose: Bool) throws -> (BrokerServer, BrokerLog) {
        let log: BrokerLog
        do {
            log = try BrokerLog(configuration: configuration, verbose: verbose)
        } catch {
            throw ExitWithMessage(message: "\(error)", code: 1)
        }
        return (BrokerServer(configuration: configuration, log: log), log)
    }

    /// The config file if given (errors carry file and line), then `-p`: without listeners in the file it
    /// moves the default 127.0.0.1 listener; with listeners it adds one on all interfaces, as mosquitto does.
    static func configuration(file: String?, port: Int?) throws -> BrokerConfiguration {
        var configuration = BrokerConfiguration()
        if let file {
            do {
                configuration = try ConfigParser.load(path: file)
            } catch {
                throw ExitWithMessage(message: error.errors.map(\.description).joined(separator: "\n"), code: 1)
            }
        }
        guard let port else { return configuration }
        guard (0...65_535).contains(port) else {
            throw ExitWithMessage(message: "Error: Invalid port \(port): give a number from 1 to 65535.", code: 1)
        }
        if configuration.isLocalOnly {
            configuration.listeners[0].port = port
        } else if !configuration.listeners.contains(where: { $0.port == port }) {
            var extra = configuration.listeners[0]
            extra.port = port
            extra.bindAddress = nil
            extra.transport = .mqtt
            extra.tls = .init()
            configuration.listeners.append(extra)
        }
        return configuration
    }

    static func describe(_ error: any Error, configuration: BrokerConfiguration, portFlag: String = "-p") -> String {
        var text = "\(error)"
        // The listener's advice names mosquitto's -p; the dashboard's flag is --broker-port.
        if error is ListenerError, portFlag != "-p" { text = text.replacingOccurrences(of: "with -p", with: "with \(portFlag)") }
        return text.hasPrefix("Error") ? text : "Error: \(text)"
    }
}
