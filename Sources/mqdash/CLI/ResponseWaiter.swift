import MQTTClient
import MQTTCore
import NIOCore

/// Reads the client's events for `mqdash rr` until the response comes: a message on the response
/// topic whose correlation data is ours (a response without any is taken too, as mosquitto_rr takes
/// the first message; one with another request's data is skipped).
actor ResponseWaiter {
    enum Outcome {
        case waiting
        case response(PublishPacket)
        case failed(ExitWithMessage)
    }

    let client: MQTTClient
    let debug: Bool
    let responseTopic: String
    let correlation: ByteBuffer?
    private var trace: DebugTrace
    private(set) var outcome = Outcome.waiting

    var isDone: Bool {
        if case .waiting = outcome { return false }
        return true
    }

    init(client: MQTTClient, debug: Bool, clientID: String, responseTopic: String, correlation: ByteBuffer?) {
        self.client = client
        self.debug = debug
        self.responseTopic = responseTopic
        self.correlation = correlation
        self.trace = DebugTrace(clientID: clientID)
    }

    static func isResponse(_ message: PublishPacket, topic: String, correlation: ByteBuffer?) -> Bool {
        guard message.topic == topic else { return false }
        guard let correlation, let theirs = message.properties.correlationData else { return true }
        return theirs == correlation
    }

    func consume() async {
        for await event in client.events {
            switch event {
            case .packetSent(let packet):
                if debug { Console.line(trace.sent(packet)) }
            case .packetReceived(let packet):
                if debug { Console.line(trace.received(packet)) }
            case .message(let message):
                client.messageConsumed(message)
                if !isDone && Self.isResponse(message, topic: responseTopic, correlation: correlation) {
                    outcome = .response(message)
                    await client.disconnect()
                }
            case .connected, .disconnected, .reconnecting:
                break
            }
        }
    }

    /// `-W`: "Timed out", exit 27, like mosquitto_rr.
    func timeOut() async {
        await fail(ExitWithMessage(message: "Timed out", code: 27))
    }

    func fail(_ failure: ExitWithMessage) async {
        guard !isDone else { return }
        outcome = .failed(failure)
        await client.disconnect()
    }
}
