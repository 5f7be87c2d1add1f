import ArgumentParser
import MQTTBench

/// `mqdash bench conn`: N idle connections opened at a rate and held.
struct BenchConnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conn", abstract: "Open N idle connections, report connect latency, hold them.", helpNames: [.long])

    @OptionGroup var connection: BenchConnectionOptions

    @Option(name: [.customShort("c"), .customLong("connections")], help: "Connections to open.")
    var connections: Int = 100

    @Option(help: "Connections opened per second.")
    var connRate: Double = 1000

    @Option(help: "Seconds to hold them once all are open.")
    var duration: Double = 10

    @Flag(help: "Print the summary as JSON on stdout (per-second lines go to stderr).")
    var json = false

    func validate() throws {
        guard (1...1_000_000).contains(connections) else { throw ValidationError("-c/--connections must be between 1 and 1000000.") }
        guard connRate > 0 && connRate <= 1_000_000 else { throw ValidationError("--conn-rate must be more than 0 and at most 1000000.") }
        guard duration >= 0 && duration <= LoadShape.maximumDuration else {
            throw ValidationError("--duration must be between 0 and \(Int(LoadShape.maximumDuration)) seconds.")
        }
        _ = try connection.target(applyingProfile: false)
    }

    func run() async throws {
        let runner = ConnRunner(
            target: try connection.target(), connections: connections, connectRate: connRate, hold: duration,
            printLine: BenchOutput.lineSink(json: json))
        let result: ConnResult
        do { result = try await runner.run() } catch { throw BenchOutput.fail(error) }
        Console.line(json ? BenchFormat.json(result) : result.summaryLine)
        if result.connected == 0 {
            throw ExitWithMessage(message: "Error: " + (result.firstError ?? "no connection could be opened"), code: 1)
        }
        if result.failed > 0 || result.dropped > 0 {
            throw ExitWithMessage(
                message: "Error: \(result.failed) of \(connections) connections failed, \(result.dropped) dropped (first: \(result.firstError ?? "unknown"))",
                code: 1)
        }
    }
}
