import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import NIOCore

/// `mqdash rr`: mosquitto_rr. Subscribes to the response topic, publishes the request with the v5
/// response topic and correlation data, prints the matching response and exits 0; `-W` seconds
/// without one print "Timed out" and exit 27, as mosquitto_rr does.
struct RRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rr", abstract: "Publish a request and wait for its response (mosquitto_rr compatible).",
        helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("t"), help: "Topic to publish the request to.")
    var topic: String?

    @Option(name: .customShort("e"), help: "Response topic: subscribed to, and sent with the request (v5).")
    var responseTopic: String?

    @Option(name: .customShort("m"), help: "Request payload.")
    var message: String?

    @Option(name: .customShort("f"), help: "Send the contents of a file as the request.")
    var file: String?

    @Flag(name: .customShort("n"), help: "Send a zero-length request.")
    var nullMessage = false

    @Flag(name: .customShort("s"), help: "Send all of stdin as the request.")
    var stdinMessage = false

    @Option(name: .customShort("q"), help: "QoS of the request and of the response subscription.")
    var qos: UInt8 = 0

    @Option(name: .customShort("W"), help: "Give up after this many seconds without a response (exit 27).")
    var timeout: Double?

    @Flag(name: .customShort("v"), help: "Print 'topic payload'.")
    var verbose = false

    @Flag(name: .customShort("N"), help: "Do not add a newline after the response.")
    var noNewline = false

    func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("Invalid QoS given: \(qos)") }
        let sources = [message != nil, file != nil, nullMessage, stdinMessage].filter { $0 }.count
        if sources > 1 { throw ValidationError("Only one type of message can be sent at once.") }
        if let timeout, timeout <= 0 { throw ValidationError("Invalid -W timeout \(timeout).") }
    }

    func run() async throws {
        var options = try self.connection.applyingProfile().0
        // mosquitto_rr speaks MQTT 5 unless told otherwise: request/response needs its properties.
        if options.protocolVersion == nil { options.protocolVersion = "5" }
        let version = try options.version()
        let properties = try V5PropertyArguments(parsing: options.propertyArguments, version: version)
        var urlTopic: String?
        let configuration = try options.clientConfiguration(properties: properties, urlTopic: &urlTopic)
        guard let topic = topic ?? urlTopic, let responseTopic else {
            throw ValidationError("A request topic (-t) and a response topic (-e) must be given.")
        }
        do throws(TopicValidationError) {
            try Topic.validateName(topic)
            try Topic.validateName(responseTopic)
        } catch {
            throw ValidationError("Invalid topic '\(topic)' or response topic '\(responseTopic)', does it contain '+' or '#'?")
        }
        guard let payload = try MessageSource.load(message: message, file: file, null: nullMessage, stdin: stdinMessage) else {
            throw ValidationError("A request message must be given (-m, -f, -n or -s).")
        }
        let request = RequestProperties(given: properties.publish, responseTopic: responseTopic, isV5: version == .v5)

        let client = MQTTClient(configuration: configuration)
        let waiter = ResponseWaiter(client: client, debug: options.debug, clientID: configuration.clientID,
                                    responseTopic: responseTopic, correlation: request.correlation)
        let waiting = Task { await waiter.consume() }
        SignalHandling.onInterrupt { await client.disconnect(properties: properties.disconnect) }
        do {
            _ = try await client.connect()
        } catch {
            await waiting.value
            throw CommandFailure.connect(error, quiet: options.quiet)
        }
        if let timeout {
            Task {
                try await Task.sleep(for: .seconds(timeout))
                await waiter.timeOut()
            }
        }
        do {
            let qos = QoS(rawValue: qos)!
            _ = try await client.subscribe([Subscription(filter: responseTopic, options: SubscriptionOptions(qos: qos))],
                                           properties: properties.subscribe)
            let result = try await client.publish(topic: topic, payload: payload, qos: qos, retain: false, properties: request.properties)
            if result.reasonCode.isFailure {
                await waiter.fail(ExitWithMessage(message: options.quiet ? nil : "Error: request refused: \(result.reasonCode.name).", code: 1))
            }
        } catch {
            if await !waiter.isDone { await waiter.fail(CommandFailure.connect(error, quiet: options.quiet)) }
        }
        await waiting.value
        switch await waiter.outcome {
        case .response(let response):
            let formatter = MessageFormatter(verbose: verbose, format: nil, noNewline: noNewline, prettyJSON: false)
            Console.write(formatter.render(response, receivedAt: Date()).output)
        case .failed(let failure):
            throw failure
        case .waiting:
            throw ExitWithMessage(message: options.quiet ? nil : "Error: the connection ended before a response came.", code: 1)
        }
    }
}

/// The request's v5 properties: the response topic, and correlation data (`-D publish correlation-data`,
/// else a fresh random token), so that a response meant for another request is not taken for ours.
struct RequestProperties {
    var properties: Properties
    /// The correlation data the response must carry, if it carries any; nil over 3.1.1.
    var correlation: ByteBuffer?

    init(given: Properties, responseTopic: String, isV5: Bool) {
        guard isV5 else {
            properties = []
            correlation = nil
            return
        }
        var properties = Properties(given.items.filter { if case .responseTopic = $0 { false } else { true } })
        properties.append(.responseTopic(responseTopic))
        if let data = given.correlationData {
            correlation = data
        } else {
            let token = ByteBuffer(string: "mqdash-rr-" + String(UInt64.random(in: 0...UInt64.max), radix: 16))
            properties.append(.correlationData(token))
            correlation = token
        }
        self.properties = properties
    }
}
