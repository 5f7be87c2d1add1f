import Foundation
import MQTTClient
import MQTTCore

/// Maps client errors to mosquitto's messages and exit codes: a CONNACK refusal exits with its
/// reason code (5 "not authorised" on 3.1.1, 135 on v5), everything else with 1.
enum CommandFailure {
    static func connect(_ error: any Error, quiet: Bool) -> ExitWithMessage {
        let message: String
        let code: Int32
        switch error as? MQTTClientError {
        case .refused(let reason, let version)?:
            message = version == .v5 ? "Connection error: \(reason.name)" : "Connection error: \(ConnectReturnCode.description(reason.rawValue))"
            code = Int32(reason.rawValue)
        case .connectionRefused?:
            // mosquitto's exact words: scripts match on them.
            message = "Error: Connection refused"
            code = 1
        case .incomingPacketTooLarge?:
            // The library cannot know the flag's name; the command line can.
            message = "Error: \(error) (raise it with --max-packet)."
            code = 1
        case let clientError?:
            message = "Error: \(clientError)"
            code = 1
        case nil:
            message = "Error: \(error)"
            code = 1
        }
        return ExitWithMessage(message: quiet ? nil : message, code: code)
    }
}

extension ExitWithMessage: CustomStringConvertible {
    var description: String { message ?? "" }
}
