import ArgumentParser
import Foundation
import MQTTBroker

/// `mqdash --broker [--broker-port N] [--broker-config FILE]`: the dashboard hosts its own broker and
/// connects to it; other clients (mosquitto_pub, sensors) can connect to the same port.
struct EmbeddedBrokerOptions: ParsableArguments {
    @Flag(name: .customLong("broker"), help: "Host an embedded broker and connect the dashboard to it.")
    var enabled = false

    @Option(name: .customLong("broker-port"), help: "Port of the embedded broker (on 127.0.0.1 unless --broker-config says otherwise).")
    var port = 1883

    @Option(name: .customLong("broker-config"), help: "A mosquitto.conf for the embedded broker.")
    var configFile: String?

    @Option(name: .customLong("broker-log"), help: "Append the embedded broker's log lines to this file.")
    var logFile: String?

    func validate() throws {
        guard enabled || configFile == nil && logFile == nil else {
            throw ValidationError("--broker-config and --broker-log need --broker.")
        }
        guard (1...65_535).contains(port) else { throw ValidationError("--broker-port must be from 1 to 65535.") }
    }

    /// Starts the broker when `--broker` was given; its failures are errors that say what to do.
    func start() async throws -> BrokerServer? {
        guard enabled else { return nil }
        var configuration = try BrokerSetup.configuration(file: configFile, port: configFile == nil ? port : nil)
        // The terminal belongs to the dashboard: log lines go to a file or nowhere.
        configuration.logDestinations = logFile.map { [.file($0)] } ?? []
        let (server, _) = try BrokerSetup.server(for: configuration, verbose: false)
        do {
            try await server.start()
        } catch {
            await server.stop()
            throw ExitWithMessage(message: BrokerSetup.describe(error, configuration: configuration, portFlag: "--broker-port"), code: 1)
        }
        return server
    }

    /// The port the dashboard connects to: the first listener's.
    func dashboardPort(of server: BrokerServer) -> Int {
        server.boundAddresses.first?.port ?? port
    }
}
