import ArgumentParser
import MQTTBench

/// `mqdash bench sub`: M subscribers that report the receive rate (and latency when payloads carry send times).
struct BenchSubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub", abstract: "Subscribe with N clients and report the receive rate.", helpNames: [.long])

    @OptionGroup var connection: BenchConnectionOptions
    @OptionGroup var options: BenchRunOptions

    @Option(name: [.customShort("c"), .customLong("subscribers")], help: "Subscribing clients.")
    var subscribers: Int = 1

    @Option(help: "Messages per subscriber after which the run ends.")
    var count: Int?

    func validate() throws {
        if subscribers < 1 { throw ValidationError("-c/--subscribers must be at least 1.") }
        _ = try shape()
        _ = try connection.target()
        try options.validateConnRate()
    }

    /// Subscribers only; -t is the filter here, as in emqtt-bench's sub.
    func shape() throws -> LoadShape {
        do {
            return try LoadShape(
                publishers: 0, subscribers: subscribers, payloadSize: 64, qos: options.qos, topic: "bench/%i", filter: options.topic,
                intervalMilliseconds: nil, rate: nil, inflight: 1, duration: options.duration, count: count)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let runner = PubSubRunner(
            mode: .sub, target: try connection.target(), shape: try shape(), connectRate: options.connRate,
            printLine: BenchOutput.lineSink(json: options.json))
        do {
            BenchOutput.finish(try await runner.run(), json: options.json)
        } catch let failure as BenchFailure {
            BenchOutput.finish(failure.result, json: options.json)
            throw BenchOutput.fail(failure)
        } catch {
            throw BenchOutput.fail(error)
        }
    }
}
