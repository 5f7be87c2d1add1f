import MQTTClient
import MQTTCore

/// Prints one client's `-d` trace from its events: a line per packet sent or received, worded by
/// `DebugTrace`; nothing without -d.
struct PacketTracePrinter {
    let enabled: Bool
    /// Whether the lines name the client by the id a v5 broker assigns in CONNACK, as mosquitto_sub and
    /// mosquitto_pub do from then on.
    let followsAssignedID: Bool
    private(set) var trace: DebugTrace

    init(enabled: Bool, clientID: String, followsAssignedID: Bool = true) {
        self.enabled = enabled
        self.followsAssignedID = followsAssignedID
        self.trace = DebugTrace(clientID: clientID)
    }

    /// The line of a packet event; any other event is not traced.
    mutating func print(_ event: MQTTClientEvent) {
        guard enabled else { return }
        switch event {
        case .packetSent(let packet):
            Console.line(trace.sent(packet))
        case .packetReceived(let packet):
            if followsAssignedID, case .connAck(let connAck) = packet, let assigned = connAck.properties.assignedClientIdentifier {
                trace = DebugTrace(clientID: assigned)
            }
            Console.line(trace.received(packet))
        default:
            break
        }
    }
}
