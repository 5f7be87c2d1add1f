import ArgumentParser
import Foundation

/// The `mqdash` executable: command parsing and wiring only.
@main
struct MQDash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mqdash",
        abstract: "A terminal MQTT dashboard with mosquitto-compatible tools.",
        version: VersionText.line,
        subcommands: [
            DashCommand.self, SubCommand.self, PubCommand.self, RRCommand.self, WatchCommand.self, RecordCommand.self, ReplayCommand.self, OpenCommand.self,
            BrokerCommand.self, PasswdCommand.self, BenchCommand.self, ProfilesCommand.self,
        ],
        // `mqdash -h host ...` without a subcommand opens the dashboard with the same flags as `sub`.
        defaultSubcommand: DashCommand.self,
        helpNames: [.long])

    /// mosquitto's tools print "Error: ..." and exit 1 on a bad flag; ArgumentParser's own exits differ, so map them.
    static func main() async {
        do {
            let arguments = try MosquittoDefaults.arguments(
                Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as ExitWithMessage {
            if let message = failure.message, !message.isEmpty { Console.error(message) }
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version print to stdout and exit 0.
                Console.line(fullMessage(for: error))
                Foundation.exit(0)
            }
            var text = message(for: error)
            if text.hasPrefix("Unknown option") { text += "." }
            Console.error("Error: " + text)
            Console.error("Use 'mqdash --help' to see usage.")
            Foundation.exit(1)
        }
    }
}
