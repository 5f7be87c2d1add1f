import ArgumentParser
import Dashboard
import Foundation
import MQTTClient
import MQTTCore

/// `mqdash watch`: the dashboard's alert rules without the dashboard, one line per alert on stdout, for
/// cron, systemd and scripts.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch topics and print a line each time an alert rule fires or clears.",
        discussion: """
            Give one condition. Each line is: time, ALERT or CLEAR, topic, value, (condition).
              mqdash watch -t livingroom/temp --above 30
              mqdash watch -t 'sensors/+/state' --field battery --below 10 --hysteresis 2
              mqdash watch -t livingroom/temp --silent 5m --exit-on-alert
              mqdash watch --board livingroom      (the rules of a board in boards.toml)
            """,
        helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("t"), help: "Topic filter to watch; may be repeated.")
    var topics: [String] = []

    @Option(help: "JSON field path of the value (sensor.temp, values[0]); default: the whole payload.")
    var field: String?

    @Option(help: "Alert when the value is above this number.")
    var above: Double?

    @Option(help: "Alert when the value is below this number.")
    var below: Double?

    @Option(help: "Alert when the value is outside LOW..HIGH.")
    var outside: String?

    @Flag(help: "Alert on every message whose value differs from the topic's previous one.")
    var changed = false

    @Option(help: "Alert while the value (text) equals this.")
    var equals: String?

    @Option(help: "Alert when a topic has had no message for this long (90, 90s, 5m, 1h).")
    var silent: String?

    @Option(help: "Alert when a topic's messages per second exceed this.")
    var rateAbove: Double?

    @Option(help: "How far the value (or rate) must come back past the limit before the alert clears.")
    var hysteresis: Double = 0

    @Option(name: .customLong("for"), help: "How long the condition must hold before the alert fires (10s, 1m).")
    var holdFor: String?

    @Option(help: "Run the rules of this board of $XDG_CONFIG_HOME/mqdash/boards.toml instead of a condition flag.")
    var board: String?

    @Flag(help: "Exit with status 3 at the first alert.")
    var exitOnAlert = false

    func validate() throws {
        if board == nil { _ = try rules() }
    }

    /// The board's rules with `--board`, else one rule per filter from exactly one condition flag.
    func rules() throws -> [AlertRule] {
        if let board {
            guard topics.isEmpty, field == nil, above == nil, below == nil, outside == nil, !changed, equals == nil, silent == nil,
                  rateAbove == nil
            else { throw ValidationError("--board takes its topics and rules from the board file: give no -t, --field or condition.") }
            let rules = try DashboardBoards.board(named: board, in: DashboardBoards.load()).alertRules
            guard !rules.isEmpty else { throw ValidationError("Board '\(board)' has no rules (rules = [...] in its tiles).") }
            return rules
        }
        guard !topics.isEmpty else { throw ValidationError("You must specify a topic to watch (-t).") }
        try validateSubscriptionFilters(topics)
        var conditions: [AlertCondition] = []
        if let above { conditions.append(.above(above)) }
        if let below { conditions.append(.below(below)) }
        if let outside { conditions.append(try Self.range(outside)) }
        if changed { conditions.append(.changed) }
        if let equals { conditions.append(.equals(equals)) }
        if let silent {
            guard let seconds = AlertWords.seconds(silent), seconds > 0 else {
                throw ValidationError("--silent '\(silent)' is not a duration (90, 90s, 5m, 1h).")
            }
            conditions.append(.silent(seconds: seconds))
        }
        if let rateAbove { conditions.append(.rateAbove(rateAbove)) }
        guard conditions.count == 1, let condition = conditions.first else {
            throw ValidationError(
                "Give exactly one condition: --above, --below, --outside, --changed, --equals, --silent or --rate-above.")
        }
        guard hysteresis >= 0 else { throw ValidationError("--hysteresis must not be negative.") }
        var minimumDuration = 0.0
        if let holdFor {
            guard let seconds = AlertWords.seconds(holdFor) else { throw ValidationError("--for '\(holdFor)' is not a duration (10s, 1m).") }
            minimumDuration = seconds
        }
        return topics.map {
            AlertRule(filter: $0, field: field, condition: condition,
                      damping: AlertDamping(hysteresis: hysteresis, minimumDuration: minimumDuration))
        }
    }

    private static func range(_ text: String) throws -> AlertCondition {
        guard let range = AlertWords.range(text) else {
            throw ValidationError("--outside '\(text)' is not a range LOW..HIGH (e.g. 18..26).")
        }
        return range
    }

    func run() async throws {
        let (connection, _) = try self.connection.applyingProfile()
        let (configuration, properties, _) = try connection.subscriberConfiguration()
        let client = MQTTClient(configuration: configuration)
        let rules = try rules()
        let watcher = AlertWatcher(rules: rules, exitOnAlert: exitOnAlert)
        SignalHandling.onInterrupt { await client.disconnect(properties: properties.disconnect) }
        let ticking = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(100))
                await watcher.tick()
            }
        }
        let watching = Task {
            for await event in client.events {
                switch event {
                case .message(let message):
                    await watcher.received(topic: message.topic, payload: message.payload.readableBytesView)
                case .disconnected(let error?):
                    if !connection.quiet { Console.error("Error: \(error)") }
                default:
                    break
                }
            }
        }
        do {
            _ = try await client.connect()
            let qos = QoS.atLeastOnce
            _ = try await client.subscribe(
                Set(rules.map(\.filter)).sorted().map { Subscription(filter: $0, options: SubscriptionOptions(qos: qos)) },
                properties: properties.subscribe)
        } catch {
            throw CommandFailure.connect(error, quiet: connection.quiet)
        }
        await watching.value
        ticking.cancel()
    }
}

/// The running rules of `mqdash watch`: one `AlertWatch` per filter on the process's monotonic clock,
/// printing each alert as it happens.
actor AlertWatcher {
    private var watches: [AlertWatch]
    private let exitOnAlert: Bool

    init(rules: [AlertRule], exitOnAlert: Bool) {
        let now = ProcessInfo.processInfo.systemUptime
        watches = rules.map { AlertWatch(rule: $0, start: now) }
        self.exitOnAlert = exitOnAlert
    }

    func received(topic: String, payload: some Collection<UInt8>) {
        let now = ProcessInfo.processInfo.systemUptime
        for index in watches.indices { report(watches[index].received(topic: topic, payload: payload, at: now)) }
    }

    func tick() {
        let now = ProcessInfo.processInfo.systemUptime
        for index in watches.indices { report(watches[index].tick(at: now)) }
    }

    private func report(_ events: [AlertEvent]) {
        for event in events {
            let topic = SafeText.line(Array(event.topic.utf8))
            let parts = [Self.timestamp(), event.kind.rawValue, topic, event.value, "(\(event.condition.description))"]
            Console.line(parts.filter { !$0.isEmpty }.joined(separator: " "))
            if exitOnAlert, event.kind == .fired {
                // Status 3 says "an alert fired" to the script that started us; the line above is flushed.
                Foundation.exit(3)
            }
        }
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
