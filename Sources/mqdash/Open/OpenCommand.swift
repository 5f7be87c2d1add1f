import ArgumentParser
import Dashboard
import DashboardApp
import Foundation
import PayloadDecoders
import TerminalUI

/// `mqdash open FILE` (or `mqdash --file FILE`): the dashboard over a recording, no broker.
struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the dashboard over a recording (mqdash record, R, mqdash sub -F %J), without a broker.",
        helpNames: [.long])

    @Argument(help: "The recording: JSON Lines, gzip-compressed when the name ends in .gz.")
    var file: String

    @Flag(help: "Play the messages at the recording's pace: space pauses, [ ] halve / double the speed, { } jump 10 s.")
    var play = false

    @Option(help: "The speed --play starts at (2 = twice as fast).")
    var speed = 1.0

    @Option(name: .customLong("decode"), help: ArgumentHelp(
        "Show payloads on topics matching FILTER through CHAIN (e.g. 'factory/#=gzip | json'); may be repeated, the first matching rule wins.",
        valueName: "FILTER=CHAIN"))
    var decode: [String] = []

    @Option(help: "Theme: a name from themes/ or the path of a .toml theme file.")
    var theme: String?

    @Option(help: "Entries kept in the message log.")
    var logSize = DashboardSettings().logCapacity

    @Option(help: "Payload bytes kept per message; longer payloads are cut and marked.")
    var maxPayload = DashboardSettings().maximumStoredPayload

    @Option(help: "Messages kept per topic for the detail view and its plot.")
    var history = DashboardSettings().historyPerTopic

    func validate() throws {
        _ = try DecoderRules.validated(decode)
        guard speed > 0, speed.isFinite else { throw ValidationError("Invalid --speed \(speed): must be above 0.") }
        guard logSize > 0 else { throw ValidationError("--log-size must be at least 1.") }
        guard maxPayload >= 0 else { throw ValidationError("--max-payload must not be negative.") }
        guard history > 0 else { throw ValidationError("--history must be at least 1.") }
    }

    func run() async throws {
        try await Self.show(
            file: file, play: play, speed: speed, decoders: try DecoderRules.forCommand(options: decode), theme: theme, logSize: logSize, maxPayload: maxPayload, history: history)
    }

    static func show(
        file: String, play: Bool, speed: Double, decoders: DecoderRules, theme themeName: String?, logSize: Int, maxPayload: Int, history: Int) async throws {
        let start = try RecordingFeed.check(file)
        var settings = DashboardSettings()
        settings.logCapacity = logSize
        settings.maximumStoredPayload = maxPayload
        settings.historyPerTopic = history
        settings.brokerURL = "file " + file
        settings.decoders = decoders
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let theme = try DashboardTheme.resolve(themeName, noColor: noColor)

        let queue = EventQueue()
        let feed = RecordingFeed(path: file, queue: queue, maximumStoredPayload: maxPayload, speed: speed)
        let exporter = DashboardExporter(queue: queue)
        queue.push(.connection(.file))
        if play, let start {
            queue.push(.playback(PlaybackStatus(start: start, end: start, position: start, speed: speed)))
            Thread { feed.findEnd() }.start()
        }
        let exit = try await MainActor.run { () throws -> DashboardLoopExit in
            let terminal: CursesTerminal
            do { terminal = try CursesTerminal(useColor: !noColor) } catch let error as TerminalUnavailable {
                throw ExitWithMessage(message: error.description, code: 1)
            }
            defer { terminal.end() }
            let reading = Thread {
                if play, let start { feed.play(start: start) } else { feed.readAll() }
            }
            reading.start()
            var state = DashboardState(settings: settings, subscriptions: [])
            return DashboardLoop().run(
                terminal: terminal, state: &state, theme: theme, queue: queue, frameLog: FrameLog.fromEnvironment()
            ) { command in
                _ = feed.perform(command) || exporter.perform(command)
            }
        }
        feed.stop()
        if let report = feed.skippedReport { FileHandle.standardError.write(Data((report + "\n").utf8)) }
        if case .signal(let number) = exit { Foundation.exit(128 + number) }
    }
}
