import ArgumentParser
import Dashboard
import Foundation
import MQTTClient
import MQTTCore
import DashboardApp
import PayloadDecoders
import TerminalUI

/// `mqdash` with no subcommand (or `mqdash dash`): the dashboard, with `mqdash sub`'s connection flags.
struct DashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dash", abstract: "Open the dashboard (what 'mqdash' does without a subcommand).",
        helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var embeddedBroker: EmbeddedBrokerOptions

    @Option(name: .customShort("t"), help: "Topic filter to subscribe to; may be repeated (default '#').")
    var topics: [String] = []

    // The optional settings below default in run(), so that a profile can tell "not given" from the default.
    @Option(name: .customShort("q"), help: "QoS of the subscriptions (default 0).")
    var qos: UInt8?

    @Option(help: "Theme: a name from themes/ or the path of a .toml theme file.")
    var theme: String?

    @Option(help: "Entries kept in the message log (default \(DashboardSettings().logCapacity)).")
    var logSize: Int?

    @Option(help: "Payload bytes kept per message; longer payloads are cut and marked (default \(DashboardSettings().maximumStoredPayload)).")
    var maxPayload: Int?

    @Option(help: "Messages kept per topic for the detail view and its plot (default \(DashboardSettings().historyPerTopic)).")
    var history: Int?

    @Flag(help: "Also run the demo simulator: simulated readings under livingroom/ and kitchen/, published to the same broker as client 'mqdash-demo'.")
    var demo = false

    @Option(help: "Open the dashboard over this recording instead of a broker (as 'mqdash open FILE').")
    var file: String?

    @Flag(help: "With --file: play the recording at its pace (see 'mqdash open --play').")
    var play = false

    @Option(help: "Start on this board of $XDG_CONFIG_HOME/mqdash/boards.toml (W shows the board, P pins a topic to it).")
    var board: String?

    @Option(name: .customLong("decode"), help: ArgumentHelp(
        "Show payloads on topics matching FILTER through CHAIN (e.g. 'factory/#=gzip | json'); may be repeated, the first matching rule wins, then the [[decoders]] of the profiles file. spBv1.0/# topics use sparkplugb unless a rule says otherwise.",
        valueName: "FILTER=CHAIN"))
    var decode: [String] = []

    func validate() throws {
        _ = try DecoderRules.validated(decode)
        if let qos, !(0...2).contains(qos) { throw ValidationError("Invalid QoS given: \(qos)") }
        if let logSize, logSize <= 0 { throw ValidationError("--log-size must be at least 1.") }
        if let maxPayload, maxPayload < 0 { throw ValidationError("--max-payload must not be negative.") }
        if let history, history <= 0 { throw ValidationError("--history must be at least 1.") }
        for filter in topics {
            do throws(TopicValidationError) { try Topic.validateFilter(filter) } catch {
                throw ValidationError("Invalid subscription topic '\(filter)', are all '+' and '#' wildcards correct?")
            }
        }
    }

    func run() async throws {
        if let file {
            let defaults = DashboardSettings()
            return try await OpenCommand.show(
                file: file, play: play, speed: 1, decoders: try DecoderRules.forCommand(options: decode), theme: theme,
                logSize: logSize ?? defaults.logCapacity, maxPayload: maxPayload ?? defaults.maximumStoredPayload,
                history: history ?? defaults.historyPerTopic)
        }
        // The dashboard's own broker is not a connection to choose: only an explicit --profile applies there.
        var (connection, profile) = try self.connection.applyingProfile(allowDefault: !embeddedBroker.enabled)
        let broker = try await embeddedBroker.start()
        if let broker {
            connection.host = "127.0.0.1"
            connection.port = embeddedBroker.dashboardPort(of: broker)
        }
        let target = try DashboardTarget(connection: connection, profile: profile, topics: topics, qos: qos)
        let (configuration, version, subscriptions) = (target.configuration, target.version, target.subscriptions)

        var settings = DashboardSettings()
        if let logSize = logSize ?? profile?.logSize { settings.logCapacity = logSize }
        if let maxPayload = maxPayload ?? profile?.maxPayload { settings.maximumStoredPayload = maxPayload }
        if let history = history ?? profile?.history { settings.historyPerTopic = history }
        settings.isV5 = version == .v5
        // Say what is hosted here: an embedded broker and simulated readings must never pass for real ones.
        settings.brokerURL = configuration.brokerURL + (broker != nil ? " (embedded)" : "") + (demo ? " + DEMO simulator" : "")
        settings.clientID = configuration.clientID
        settings.hasEmbeddedBroker = broker != nil
        settings.decoders = try DecoderRules.forCommand(options: decode)
        let pickerProfiles = PickerProfiles.load()
        settings.connectionChoices = DashboardTarget.choices(pickerProfiles.config)
        settings.connectionChoicesProblem = pickerProfiles.problem

        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let theme = try DashboardTheme.resolve(theme ?? profile?.theme, noColor: noColor)

        let book = try DashboardBoards.load()
        if let board { _ = try DashboardBoards.board(named: board, in: book) }

        let queue = EventQueue()
        let boards = DashboardBoards(queue: queue)
        let exporter = DashboardExporter(queue: queue)
        let recorder = DashboardRecorder(queue: queue, brokerURL: configuration.brokerURL, filters: subscriptions.map(\.filter))
        let brokerConnection = ConnectionSwitcher(
            first: DashboardConnection(
                configuration: configuration, subscriptions: subscriptions, queue: queue,
                maximumStoredPayload: settings.maximumStoredPayload, recorder: recorder,
                fallsBackTo311: target.fallsBackTo311 && broker == nil),
            config: pickerProfiles.config, environment: ProcessInfo.processInfo.environment, queue: queue,
            maximumStoredPayload: settings.maximumStoredPayload, recorder: recorder)
        let brokerWatch = broker.map { BrokerWatch(server: $0, queue: queue) }

        // The simulator retries until the broker takes it, like the dashboard's own connection.
        let simulator = demo ? DemoSimulator(base: configuration) : nil
        let simulating = simulator.map { simulator in
            Task.detached {
                while !Task.isCancelled {
                    do {
                        try await simulator.start()
                        return
                    } catch {
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }

        // Curses lives on the main thread: the loop below blocks it until the user quits.
        let exit = try await MainActor.run { () throws -> DashboardLoopExit in
            let terminal: CursesTerminal
            do { terminal = try CursesTerminal(useColor: !noColor) } catch let error as TerminalUnavailable {
                throw ExitWithMessage(message: error.description, code: 1)
            }
            defer { terminal.end() }
            brokerConnection.start()
            var state = DashboardState(
                settings: settings, subscriptions: subscriptions)
            state.loadBoards(book, show: board)
            return DashboardLoop().run(
                terminal: terminal, state: &state, theme: theme, queue: queue, frameLog: FrameLog.fromEnvironment()
            ) { command in
                if command == .ringBell { return terminal.bell() }
                if recorder.perform(command) || exporter.perform(command) || boards.perform(command) { return }
                if brokerWatch?.perform(command) != true { brokerConnection.perform(command) }
            }
        }
        recorder.finish()
        simulating?.cancel()
        brokerWatch?.stop()
        await simulator?.stop()
        await brokerConnection.stop()
        await broker?.stop()
        if case .signal(let number) = exit { Foundation.exit(128 + number) }
    }
}

/// Where `--theme` plugs in.
enum DashboardTheme {
    /// `--theme NAME|PATH`: loaded even under NO_COLOR so a broken theme file is still reported;
    /// the backend maps the theme's colours down to what the terminal has.
    static func resolve(_ nameOrPath: String?, noColor: Bool) throws -> Theme {
        let environment = ProcessInfo.processInfo.environment
        let executable = RunningExecutable.path
        let repositoryThemes = ThemeSearchPath.checkoutThemes(executablePath: executable) {
            FileManager.default.fileExists(atPath: $0)
        }
        let directories = ThemeSearchPath.directories(
            environment: environment, executablePath: executable, repositoryThemes: repositoryThemes)
        let theme: Theme
        do {
            theme = try Theme.load(nameOrPath: nameOrPath ?? "default", searchDirectories: directories)
        } catch {
            throw ExitWithMessage(message: "Error: \(error)", code: 1)
        }
        return noColor ? .monochrome : theme
    }
}
