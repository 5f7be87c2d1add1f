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
    let responseTopic: String
    let correlation: ByteBuffer?
    /// `rr` names the client in its trace by the id it was started with, not one the broker assigns.
    private var tracer: PacketTracePrinter
    private(set) var outcome = Outcome.waiting

    var isDone: Bool {
        if case .waiting = outcome { return false }
        return true
    }

    init(client: MQTTClient, debug: Bool, clientID: String, responseTopic: String, correlation: ByteBuffer?) {
        self.client = client
        self.responseTopic = responseTopic
        self.correlation = correlation
        self.tracer = PacketTracePrinter(enabled: debug, clientID: clientID, followsAssignedID: false)
    }

    static func isResponse(_ message: PublishPacket, topic: String, correlation: ByteBuffer?) -> Bool {
        guard message.topic == topic else { return false }
        guard let correlation, let theirs = message.properties.correlationData else { return true }
        return theirs == correlation
    }

    func consume() async {
        for await event in client.events {
            tracer.print(event)
            switch event {
            case .message(let message):
                client.messageConsumed(message)
                if !isDone && Self.isResponse(message, topic: responseTopic, correlation: correlation) {
                    outcome = .response(message)
                    await client.disconnect()
                }
            case .connected, .disconnected, .reconnecting, .packetSent, .packetReceived:
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
