import Dashboard
import DashboardApp
import Foundation
import Profiles

/// The app's side of the watch board: reading and writing `boards.toml`, and running a rule's `on_alert`
/// command without a shell, with a timeout, off the UI thread.
struct DashboardBoards {
    /// Seconds an `on_alert` command may run before it is terminated.
    static let commandTimeout: Double = 10

    let queue: EventQueue

    /// `$XDG_CONFIG_HOME/mqdash/boards.toml`, read at start; a missing file is no board yet.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BoardBook {
        guard let home = ConfigPaths.configHome(environment: environment) else { return BoardBook() }
        let path = BoardFile.path(configHome: home)
        guard FileManager.default.fileExists(atPath: path) else { return BoardBook(path: path) }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ExitWithMessage(message: "Error: \(path): cannot read: \(error.localizedDescription)", code: 1)
        }
        do { return BoardBook(boards: try BoardFile.parse(text, file: path), path: path) } catch {
            throw ExitWithMessage(message: "Error: \(error)", code: 1)
        }
    }

    /// The board named `name`, or an error that lists the ones there are.
    static func board(named name: String, in book: BoardBook) throws -> Board {
        guard let board = book.board(named: name) else {
            let known = book.boards.map(\.name)
            throw ExitWithMessage(message: "Error: no board '\(name)' in \(book.path ?? "boards.toml")"
                + (known.isEmpty ? "" : "; boards: " + known.joined(separator: ", ")), code: 1)
        }
        return board
    }

    /// True when the command was the board's.
    func perform(_ command: DashboardCommand) -> Bool {
        switch command {
        case .saveBoards(let path, let text): save(text, to: path)
        case .runAlertCommand(let arguments): Self.run(arguments)
        default: return false
        }
        return true
    }

    /// Written to a temporary file and renamed, so that a crash never leaves half a file.
    private func save(_ text: String, to path: String) {
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            queue.push(.boardsNotSaved("\(path): \(error.localizedDescription)"))
        }
    }

    /// The command runs with its output discarded (it must not write over the dashboard), and is
    /// terminated after `commandTimeout`.
    static func run(_ arguments: [String]) {
        guard let program = arguments.first else { return }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(arguments.dropFirst())
        } else {
            // Found on PATH by env, still without a shell: the words go through as they are.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return }
        let box = ProcessBox(process)
        Task.detached {
            try? await Task.sleep(for: .seconds(commandTimeout))
            if box.process.isRunning { box.process.terminate() }
        }
    }
}

/// Lets the timeout task hold the process (Foundation's `Process` is not Sendable).
private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
}
