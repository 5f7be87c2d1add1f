import ArgumentParser
import Foundation
import Profiles

/// `mqdash profiles`: the connection profiles of config.toml, never with a password.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the connection profiles of ~/.config/mqdash/config.toml (name, user, URL; never a password).",
        helpNames: [.long])

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let config = try ProfileConfig.loadForCommandLine(environment: environment), !config.profiles.isEmpty else {
            Console.error("No profiles: \(ProfileConfig.pathForMessages) has no [profiles.NAME] table.")
            return
        }
        Self.lines(config).forEach(Console.line)
    }

    /// A header and one aligned row per profile, in file order; the default profile is marked. The URL,
    /// the longest, goes last so that the other columns line up whatever its length.
    static func lines(_ config: ProfileConfig) -> [String] {
        let rows = [["NAME", "USER", "URL"]] + config.profiles.map { profile in
            let name = profile.name + (profile.name == ProfileConfig.defaultProfileName ? " *" : "")
            return [name, profile.user ?? "-", profile.displayURL]
        }
        let widths = (0..<2).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  "
                + row[1].padding(toLength: widths[1], withPad: " ", startingAt: 0) + "  " + row[2]
        }
    }
}
