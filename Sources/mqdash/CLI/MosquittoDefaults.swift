import ArgumentParser
import Foundation
import Profiles

/// `mqdash sub` reads mosquitto_sub's defaults file and `mqdash pub` mosquitto_pub's, so that options a user
/// keeps there (a host, credentials, -v) carry over; the command line's come after them and win.
enum MosquittoDefaults {
    /// The command line with the defaults file's options put right after the subcommand's name.
    static func arguments(_ arguments: [String], environment: [String: String]) throws -> [String] {
        guard let name = arguments.first, let command = commands[name],
              let path = ConfigPaths.mosquittoClientFile(command.tool, environment: environment),
              FileManager.default.fileExists(atPath: path)
        else { return arguments }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExitWithMessage(message: "Error: \(path): cannot read it: permission denied or not a file", code: 1)
        }
        let file = MosquittoOptionFile(path: path, text: String(decoding: data, as: UTF8.self))
        // One line at a time first, so that a mistake is reported with its line.
        for line in file.lines {
            do { _ = try command.type.parse(line.arguments) } catch {
                throw ExitWithMessage(message: "Error: \(path):\(line.number): \(command.type.message(for: error))", code: 1)
            }
        }
        return [name] + file.arguments + arguments.dropFirst()
    }

    private static let commands: [String: (tool: String, type: any ParsableCommand.Type)] = [
        "sub": ("mosquitto_sub", SubCommand.self),
        "pub": ("mosquitto_pub", PubCommand.self),
    ]
}
