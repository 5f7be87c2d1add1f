import ArgumentParser
import MQTTBench

/// `mqdash bench pub|sub|conn`: load generation against any MQTT broker, in the manner of emqtt-bench.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Generate MQTT load and measure a broker (throughput, latency, connections).",
        discussion: """
            Examples:
              1 -> 1, latency: mqdash bench pub --subscribers 1 -q 1 --duration 10
              fan-out:         mqdash bench pub --subscribers 100 -t bench/fanout -q 1
              fan-in:          mqdash bench pub -c 100 --subscribers 1 --filter 'bench/#'
              receive only:    mqdash bench sub -t 'bench/#'
              connections:     mqdash bench conn -c 10000 --conn-rate 2000 --duration 30
            """,
        subcommands: [BenchPubCommand.self, BenchSubCommand.self, BenchConnCommand.self],
        helpNames: [.long])
}

/// The run flags `bench pub` and `bench sub` share.
struct BenchRunOptions: ParsableArguments {
    @Option(name: .customShort("q"), help: "QoS of publications and subscriptions.")
    var qos: UInt8 = 0

    @Option(name: .customShort("t"), help: "Topic; %i becomes the client's index.")
    var topic: String = "bench/%i"

    @Option(help: "Seconds to run (default 10; 600 when only --count is given).")
    var duration: Double?

    @Option(help: "Connections opened per second.")
    var connRate: Double = 1000

    @Flag(help: "Print the summary as JSON on stdout (per-second lines go to stderr).")
    var json = false

    func validateConnRate() throws {
        guard connRate > 0 && connRate <= 1_000_000 else { throw ValidationError("--conn-rate must be more than 0 and at most 1000000.") }
    }
}

/// Prints per-second lines and the summary, and turns failures into "Error: ..." lines with exit code 1.
enum BenchOutput {
    static func lineSink(json: Bool) -> @Sendable (String) -> Void {
        if json { return { line in Console.error(line) } }
        return { line in Console.line(line) }
    }

    static func finish(_ result: PubSubResult, json: Bool) {
        Console.line(json ? BenchFormat.json(result) : result.summaryLine)
    }

    static func fail(_ error: any Error) -> ExitWithMessage {
        if let failure = error as? BenchFailure {
            return ExitWithMessage(message: "Error: \(failure.result.failures) connection(s) failed or dropped during the run (first: \(failure.reason))", code: 1)
        }
        if let validation = error as? ValidationError { return ExitWithMessage(message: "Error: \(validation.message)", code: 1) }
        return ExitWithMessage(message: "Error: \(error)", code: 1)
    }
}
