import Foundation
import MQTTClient
import MQTTCore
import NIOCore
import PayloadDecoders

/// Reads the client's events for `mqdash sub` and `mqdash record`: prints traces, prints messages (`sub`),
/// counts, and decides when to stop.
actor SubscriberSession {
    /// Where the messages go.
    enum Output {
        /// `mqdash sub`: formatted on stdout.
        case print(MessageFormatter)
        /// `mqdash record`: the client hands every message to a `RecorderIntake` on its event loop, so none
        /// comes through `events`; the session traces, reports errors and stops.
        case recorderIntake
    }

    let client: MQTTClient
    let debug: Bool
    let quiet: Bool
    let output: Output
    let filterOut: [String]
    let count: Int?
    let noRetained: Bool
    let retainedOnly: Bool
    let removeRetained: Bool
    private var tracer: PacketTracePrinter
    /// `sub --decode`: payloads printed as their decoded value, one line of JSON.
    private var decoding: PayloadDecoding?
    private var printed = 0
    private(set) var isStopping = false
    private(set) var failure: ExitWithMessage?

    init(
        client: MQTTClient, debug: Bool, quiet: Bool, clientID: String, output: Output, filterOut: [String],
        count: Int?, noRetained: Bool, retainedOnly: Bool, removeRetained: Bool, decoding: PayloadDecoding? = nil
    ) {
        self.decoding = decoding
        self.client = client
        self.debug = debug
        self.quiet = quiet
        self.output = output
        self.filterOut = filterOut
        self.count = count
        self.noRetained = noRetained
        self.retainedOnly = retainedOnly
        self.removeRetained = removeRetained
        self.tracer = PacketTracePrinter(enabled: debug, clientID: clientID)
    }

    func consume() async {
        for await event in client.events {
            tracer.print(event)
            switch event {
            case .packetReceived(.subAck(let subAck)) where debug:
                // mosquitto_sub's line after the SUBACK's own.
                let codes = subAck.reasonCodes.map { String($0.rawValue) }.joined(separator: ", ")
                Console.line("Subscribed (mid: \(subAck.packetID)): \(codes)")
            case .message(let message):
                await handle(message)
                client.messageConsumed(message)
            case .disconnected(let error?):
                if case .incomingPacketTooLarge = error {
                    // Reconnecting would only fetch the same packet again (a retained one, or a
                    // queued one with -c): stop, and exit 1 with the size and the flag.
                    await fail(CommandFailure.connect(error, quiet: quiet))
                } else if !quiet && !isStopping {
                    Console.error("Error: \(error)")
                }
            case .connected, .disconnected, .reconnecting, .packetSent, .packetReceived:
                break
            }
        }
    }

    private func handle(_ message: PublishPacket) async {
        guard !isStopping else { return }
        if retainedOnly && !message.retain {
            await stop()
            return
        }
        if noRetained && message.retain { return }
        if filterOut.contains(where: { Topic.matches(filter: $0, topic: message.topic) }) { return }
        switch output {
        case .print(let formatter):
            let rendered = formatter.render(decoded(message), receivedAt: Date())
            if let error = rendered.error, !quiet { Console.error(error) }
            Console.write(rendered.output)
        case .recorderIntake:
            return
        }
        if removeRetained && message.retain && message.payload.readableBytes > 0 {
            _ = try? await client.publish(topic: message.topic, payload: .init(), qos: .atMostOnce, retain: true)
        }
        printed += 1
        if let count, printed >= count { await stop() }
    }

    /// The message with its payload replaced by the decoded value's JSON; as it came when no rule applies or
    /// the decoder fails (the error goes to stderr, the payload is not lost).
    private func decoded(_ message: PublishPacket) -> PublishPacket {
        guard decoding != nil else { return message }
        let bytes = Array(message.payload.readableBytesView)
        decoding!.observe(topic: message.topic, payload: bytes)
        switch decoding!.decode(topic: message.topic, payload: bytes) {
        case .success(let value)?:
            var copy = message
            copy.payload = ByteBuffer(bytes: value.jsonBytes)
            return copy
        case .failure(let error)?:
            if !quiet { Console.error("Error: \(error) (topic \(message.topic))") }
            return message
        case nil:
            return message
        }
    }

    /// `-W`: stop, and exit 27 with "Timed out" like mosquitto_sub.
    func timeOut() async {
        await fail(ExitWithMessage(message: quiet ? nil : "Timed out", code: 27))
    }

    /// Stops, and makes the command exit with `failure` (unless it was already stopping for another reason).
    func fail(_ failure: ExitWithMessage) async {
        guard !isStopping else { return }
        self.failure = failure
        await stop()
    }

    /// Sends DISCONNECT (traced with -d) and ends the event stream.
    func stop() async {
        guard !isStopping else { return }
        isStopping = true
        await client.disconnect()
    }
}
