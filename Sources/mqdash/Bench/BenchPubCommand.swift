import ArgumentParser
import MQTTBench

/// `mqdash bench pub`: N publishers, optionally M subscribers in the same process for end-to-end latency.
struct BenchPubCommand: PubSubBenchCommand {
    static let mode = PubSubRunner.Mode.pub
    static let configuration = CommandConfiguration(
        commandName: "pub",
        abstract: "Publish from N clients; with --subscribers, also receive and measure end-to-end latency.",
        helpNames: [.long])

    @OptionGroup var connection: BenchConnectionOptions
    @OptionGroup var options: BenchRunOptions

    @Option(name: [.customShort("c"), .customLong("publishers")], help: "Publishing clients.")
    var publishers: Int = 1

    @Option(help: "Subscribing clients in this process (0: publish only).")
    var subscribers: Int = 0

    @Option(help: "Subscribers' topic filter; %i becomes the subscriber's index (default: the topic).")
    var filter: String?

    @Option(name: [.customShort("s"), .customLong("size")], help: "Payload size in bytes (at least 24).")
    var size: Int = 64

    @Option(name: [.customShort("I"), .customLong("interval")], help: "Milliseconds between messages of one publisher.")
    var interval: Double?

    @Option(help: "Messages per second of one publisher (default: as fast as possible).")
    var rate: Double?

    // 20 is mosquitto's max_inflight_messages: over 3.1.1 a broker cannot announce its limit, and
    // mosquitto drops QoS 2 messages above it while still acknowledging them. v5 brokers announce a
    // Receive Maximum, which lowers a larger window by itself.
    @Option(help: "Unacknowledged QoS 1/2 messages per publisher (lowered to a v5 broker's Receive Maximum).")
    var inflight: Int = 20

    @Option(help: "Messages per publisher, at most.")
    var count: Int?

    var clients: (count: Int, flag: String) { (publishers, "publishers") }

    func makeShape() throws(LoadShapeError) -> LoadShape {
        try LoadShape(
            publishers: publishers, subscribers: subscribers, payloadSize: size, qos: options.qos, topic: options.topic, filter: filter,
            intervalMilliseconds: interval, rate: rate, inflight: inflight, duration: options.duration, count: count)
    }
}
