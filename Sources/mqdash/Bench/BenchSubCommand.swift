import ArgumentParser
import MQTTBench

/// `mqdash bench sub`: M subscribers that report the receive rate (and latency when payloads carry send times).
struct BenchSubCommand: PubSubBenchCommand {
    static let mode = PubSubRunner.Mode.sub
    static let configuration = CommandConfiguration(
        commandName: "sub", abstract: "Subscribe with N clients and report the receive rate.", helpNames: [.long])

    @OptionGroup var connection: BenchConnectionOptions
    @OptionGroup var options: BenchRunOptions

    @Option(name: [.customShort("c"), .customLong("subscribers")], help: "Subscribing clients.")
    var subscribers: Int = 1

    @Option(help: "Messages per subscriber after which the run ends.")
    var count: Int?

    var clients: (count: Int, flag: String) { (subscribers, "subscribers") }

    /// Subscribers only; -t is the filter here, as in emqtt-bench's sub.
    func makeShape() throws(LoadShapeError) -> LoadShape {
        try LoadShape(
            publishers: 0, subscribers: subscribers, payloadSize: 64, qos: options.qos, topic: "bench/%i", filter: options.topic,
            intervalMilliseconds: nil, rate: nil, inflight: 1, duration: options.duration, count: count)
    }
}
