import ArgumentParser
import Foundation
import MQTTBroker

/// `mqdash broker [-c mosquitto.conf] [-p port] [-v]`: the embedded broker, headless, in the foreground,
/// with mosquitto's flags and log lines.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run the embedded MQTT broker in the foreground (reads mosquitto.conf).",
        helpNames: [.long])

    @Option(name: [.customShort("c"), .customLong("config-file")], help: "A mosquitto.conf to read.")
    var configFile: String?

    @Option(name: [.customShort("p"), .customLong("port")],
            help: "Listen on this port instead of 1883 (without a config file: on 127.0.0.1 only).")
    var port: Int?

    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Log everything (like mosquitto -v).")
    var verbose = false

    func run() async throws {
        let configuration = try BrokerSetup.configuration(file: configFile, port: port)
        let (server, log) = try BrokerSetup.server(for: configuration, verbose: verbose)
        // SIGINT/SIGTERM are handled from before the first log line: one arriving while the broker starts
        // waits for the start, then stops what it opened and exits 0, as for a running broker. A start that
        // fails ends the process itself, with its message and code 1.
        let startup = BrokerStartup()
        SignalHandling.onInterrupt {
            guard await startup.outcome() else { return await Self.waitForExit() }
            await server.stop()
        }
        // SIGHUP is handled from before the listeners open too: a test or a service manager may send it as
        // soon as the port answers, and the handler would not be in place yet. It waits for the start on the
        // reload queue, so a SIGHUP during the start reloads once the broker runs (a failed start exits).
        let starting = DispatchGroup()
        starting.enter()
        let (configFile, port) = (configFile, port)
        SignalHandling.onHangUp {
            starting.wait()
            _ = server.reload { try BrokerSetup.configuration(file: configFile, port: port) }
        }
        log.log(.notice, "\(Self.banner) starting")
        if let configFile { log.log(.information, "Config loaded from \(configFile).") }
        for warning in configuration.warnings { log.log(.warning, "Warning: \(warning)") }
        do {
            try await server.start()
        } catch {
            await server.stop()
            await startup.finish(succeeded: false)
            starting.leave()
            throw ExitWithMessage(message: BrokerSetup.describe(error, configuration: configuration), code: 1)
        }
        await startup.finish(succeeded: true)
        starting.leave()
        // Runs until a signal ends the process (SignalHandling exits after stopping the server).
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    static let banner = "mqdash broker"

    /// Never returns: the signal handler's way of leaving the exit to the failed start's error path.
    private static func waitForExit() async {
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }
}
