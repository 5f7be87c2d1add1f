import ArgumentParser
import MQTTBench

/// What `bench pub` and `bench sub` share: a load shape made from their flags, run by `PubSubRunner`
/// to its summary line (or JSON).
protocol PubSubBenchCommand: AsyncParsableCommand {
    static var mode: PubSubRunner.Mode { get }
    var connection: BenchConnectionOptions { get }
    var options: BenchRunOptions { get }
    /// The `-c` count and its long flag's name: at least one client.
    var clients: (count: Int, flag: String) { get }
    /// The load's shape; `LoadShape` names the flag it refuses.
    func makeShape() throws(LoadShapeError) -> LoadShape
}

extension PubSubBenchCommand {
    func shape() throws -> LoadShape {
        do {
            return try makeShape()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Every flag checked before anything connects.
    func validate() throws {
        if clients.count < 1 { throw ValidationError("-c/--\(clients.flag) must be at least 1.") }
        _ = try shape()
        _ = try connection.target(applyingProfile: false)
        try options.validateConnRate()
    }

    func run() async throws {
        let runner = PubSubRunner(
            mode: Self.mode, target: try connection.target(), shape: try shape(), connectRate: options.connRate,
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
