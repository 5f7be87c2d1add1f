import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import NIOCore
import PayloadDecoders

/// `mqdash sub`: mosquitto_sub with the same flags and output.
struct SubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sub", abstract: "Subscribe to topics and print messages (mosquitto_sub compatible).",
        helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("t"), help: "Topic filter to subscribe to; may be repeated.")
    var topics: [String] = []

    @Option(name: .customShort("T"), help: "Topic filter whose messages are not printed; may be repeated.")
    var filterOut: [String] = []

    @Option(name: .customShort("U"), help: "Topic filter to unsubscribe from; may be repeated.")
    var unsubscribeTopics: [String] = []

    @Option(name: .customShort("q"), help: "QoS of the subscriptions.")
    var qos: UInt8 = 0

    @Flag(name: .customShort("v"), help: "Print 'topic payload'.")
    var verbose = false

    @Option(name: .customShort("C"), help: "Exit after this many messages.")
    var count: Int?

    @Flag(name: .customShort("R"), help: "Do not print stale (retained) messages.")
    var noRetained = false

    @Flag(help: "Only print retained messages; exit at the first live one.")
    var retainedOnly = false

    @Flag(name: .customShort("N"), help: "Do not add a newline after each message.")
    var noNewline = false

    @Option(name: .customShort("F"), help: "Output format (%t topic, %p payload, %j JSON, ...).")
    var format: String?

    @Option(name: .customShort("W"), help: "Exit after this many seconds.")
    var timeout: Int?

    @Flag(name: .customShort("E"), help: "Exit once the subscriptions are acknowledged.")
    var exitAfterSubscribe = false

    @Flag(help: "Print JSON (%j, %J) over several indented lines.")
    var pretty = false

    @Flag(help: "Clear every retained message received (publish an empty retained message to its topic).")
    var removeRetained = false

    @Option(name: .customLong("decode"), help: ArgumentHelp(
        "Decode payloads on topics matching FILTER with CHAIN (e.g. 'factory/#=gzip | json') and print them as one line of JSON; may be repeated, the first matching rule wins. With any --decode, spBv1.0/# topics use sparkplugb unless a rule says otherwise.",
        valueName: "FILTER=CHAIN"))
    var decode: [String] = []

    /// Messages waiting between the network and stdout, at most (see `StreamBackpressure`).
    static let queueLimits = StreamBackpressure.Limits(messages: 10_000, bytes: 16 * 1024 * 1024)

    func validate() throws {
        _ = try decoding()
        guard (0...2).contains(qos) else { throw ValidationError("Invalid QoS given: \(qos)") }
        if let format { _ = try OutputFormat(parsing: format) }
        if noRetained && retainedOnly { throw ValidationError("Combining '-R' and '--retained-only' makes no sense.") }
        if let count, count <= 0 { throw ValidationError("Invalid -C count \(count).") }
        try validateSubscriptionFilters(topics + filterOut + unsubscribeTopics)
    }

    /// The `--decode` rules; nil without any (then nothing is decoded, as with mosquitto_sub).
    private func decoding() throws -> PayloadDecoding? {
        guard !decode.isEmpty else { return nil }
        return PayloadDecoding(rules: try DecoderRules.validated(decode))
    }

    func run() async throws {
        let (connection, profile) = try self.connection.applyingProfile()
        let (configuration, properties, urlTopic) = try connection.subscriberConfiguration()
        // A profile's subscriptions stand in for -t when none is given.
        let given = topics.isEmpty ? (profile?.subscriptions.map(\.filter) ?? []) : topics
        let filters = given + (urlTopic.map { [$0] } ?? [])
        guard !filters.isEmpty else { throw ValidationError("You must specify a topic to subscribe to.") }

        // Bounded: a stdout nobody reads holds the broker back through TCP instead of filling memory.
        let client = MQTTClient(configuration: configuration, maximumQueued: Self.queueLimits)
        let session = SubscriberSession(
            client: client, debug: connection.debug, quiet: connection.quiet, clientID: configuration.clientID,
            output: .print(MessageFormatter(
                verbose: verbose, format: try format.map(OutputFormat.init(parsing:)), noNewline: noNewline, prettyJSON: pretty)),
            filterOut: filterOut, count: count, noRetained: noRetained, retainedOnly: retainedOnly,
            removeRetained: removeRetained, decoding: try decoding())
        let printing = Task { await session.consume() }
        if let timeout {
            Task {
                try await Task.sleep(for: .seconds(timeout))
                await session.timeOut()
            }
        }
        SignalHandling.onInterrupt { await client.disconnect(properties: properties.disconnect) }

        do {
            _ = try await client.connect()
        } catch {
            throw CommandFailure.connect(error, quiet: connection.quiet)
        }
        let subscriptions = filters.map { Subscription(filter: $0, options: SubscriptionOptions(qos: QoS(rawValue: qos)!)) }
        do {
            _ = try await client.subscribe(subscriptions, properties: properties.subscribe)
            if !unsubscribeTopics.isEmpty { _ = try await client.unsubscribe(unsubscribeTopics, properties: properties.unsubscribe) }
        } catch {
            // -C or --retained-only may end the session while the SUBACK is still on its way.
            if await !session.isStopping { throw CommandFailure.connect(error, quiet: connection.quiet) }
        }
        if exitAfterSubscribe {
            await client.disconnect(properties: properties.disconnect)
        }
        await printing.value
        if let failure = await session.failure { throw failure }
    }
}
