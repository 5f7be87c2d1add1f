import ArgumentParser
import Foundation
import MQTTBroker

/// `mqdash passwd`: mosquitto_passwd with the same flags, prompts, messages and exit codes.
/// The work is done by `PasswdTool` in MQTTBroker; this only hands it the raw arguments,
/// since mosquitto_passwd's own argument rules (and usage text) are what users expect.
struct PasswdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd",
        abstract: "Manage mosquitto password files (mosquitto_passwd compatible).",
        discussion: PasswdTool.usage,
        helpNames: [.long])

    @Argument(parsing: .captureForPassthrough, help: "[-H sha512 | -H sha512-pbkdf2] [-c | -D | -U] [-b] passwordfile username [password]")
    var arguments: [String] = []

    func run() throws {
        let code = PasswdTool(io: .terminal).run(arguments)
        if code != 0 {
            throw ExitWithMessage(message: nil, code: code)
        }
    }
}
