import ArgumentParser
import Foundation
import MQTTClient
import MQTTCore
import NIOCore

/// `mqdash pub`: mosquitto_pub with the same flags, traces and exit codes.
struct PubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pub", abstract: "Publish a message (mosquitto_pub compatible).", helpNames: [.long])

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customShort("t"), help: "Topic to publish to.")
    var topic: String?

    @Option(name: .customShort("m"), help: "Message payload.")
    var message: String?

    @Option(name: .customShort("f"), help: "Send the contents of a file as the message.")
    var file: String?

    @Flag(name: .customShort("l"), help: "Send each line of stdin as a separate message.")
    var lineMode = false

    @Flag(name: .customShort("n"), help: "Send a zero-length message.")
    var nullMessage = false

    @Flag(name: .customShort("s"), help: "Send all of stdin as one message.")
    var stdinMessage = false

    @Flag(name: .customShort("r"), help: "Retain the message.")
    var retain = false

    @Option(name: .customShort("q"), help: "QoS of the message.")
    var qos: UInt8 = 0

    @Option(help: "Publish the message this many times.")
    var `repeat`: Int = 1

    @Option(help: "Seconds between repeated messages (may be fractional).")
    var repeatDelay: Double = 0

    func validate() throws {
        guard (0...2).contains(qos) else { throw ValidationError("Invalid QoS given: \(qos)") }
        let sources = [message != nil, file != nil, lineMode, nullMessage, stdinMessage].filter { $0 }.count
        if sources > 1 { throw ValidationError("Only one type of message can be sent at once.") }
        if `repeat` < 1 { throw ValidationError("--repeat must be at least 1.") }
        if repeatDelay < 0 { throw ValidationError("--repeat-delay must not be negative.") }
    }

    func run() async throws {
        let (configuration, properties, urlTopic) = try self.connection.applyingProfile().options.publisherConfiguration()
        guard let topic = topic ?? urlTopic else { throw ValidationError("Both topic and message must be supplied.") }
        do throws(TopicValidationError) { try Topic.validateName(topic) } catch {
            throw ValidationError("Invalid publish topic '\(topic)', does it contain '+' or '#'?")
        }
        let payload = try loadPayload()
        if payload == nil && !lineMode { throw ValidationError("Both topic and message must be supplied.") }

        let client = MQTTClient(configuration: configuration)
        let tracer = PublisherTrace(client: client, debug: connection.debug, clientID: configuration.clientID)
        let tracing = Task { await tracer.consume() }
        SignalHandling.onInterrupt { await client.disconnect(properties: properties.disconnect) }
        do {
            _ = try await client.connect()
        } catch {
            await tracing.value
            throw CommandFailure.connect(error, quiet: connection.quiet)
        }
        var failure: ExitWithMessage?
        do {
            let send = { (body: ByteBuffer) async throws in
                let result = try await client.publish(
                    topic: topic, payload: body, qos: QoS(rawValue: qos)!, retain: retain, properties: properties.publish)
                if result.reasonCode.isFailure {
                    failure = ExitWithMessage(message: "Warning: Publish \(result.packetID ?? 0) failed: \(result.reasonCode.name).", code: 1)
                }
            }
            if lineMode {
                while let line = readLine(strippingNewline: true) { try await send(ByteBuffer(string: line)) }
            } else if let payload {
                for index in 0..<`repeat` {
                    if index > 0 && repeatDelay > 0 { try await Task.sleep(for: .seconds(repeatDelay)) }
                    try await send(payload)
                }
            }
        } catch {
            failure = CommandFailure.connect(error, quiet: connection.quiet)
        }
        await client.disconnect(properties: properties.disconnect)
        await tracing.value
        if let failure, !connection.quiet || failure.code != 1 { throw failure }
    }

    private func loadPayload() throws -> ByteBuffer? {
        try MessageSource.load(message: message, file: file, null: nullMessage, stdin: stdinMessage)
    }
}

/// Prints mosquitto_pub's `-d` lines from the client's packet events.
actor PublisherTrace {
    let client: MQTTClient
    let debug: Bool
    private var tracer: PacketTracePrinter
    /// mosquitto numbers QoS 0 messages in its traces although they carry no id on the wire.
    private var qos0Count: UInt16 = 0

    init(client: MQTTClient, debug: Bool, clientID: String) {
        self.client = client
        self.debug = debug
        self.tracer = PacketTracePrinter(enabled: debug, clientID: clientID)
    }

    func consume() async {
        for await event in client.events where debug {
            if case .packetSent(.publish(let publish)) = event, publish.packetID == nil {
                qos0Count &+= 1
                Console.line("Client \(tracer.trace.clientID) sending PUBLISH \(tracer.trace.summary(of: publish, mid: qos0Count))")
            } else {
                tracer.print(event)
            }
        }
    }
}
