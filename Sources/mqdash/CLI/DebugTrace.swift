import MQTTCore

/// The `-d` lines of mosquitto's clients, word for word, so scripts that read them keep working.
struct DebugTrace {
    /// The client id as mosquitto prints it: "(null)" until one is known.
    var clientID: String

    init(clientID: String) {
        self.clientID = clientID.isEmpty ? "(null)" : clientID
    }

    func sent(_ packet: MQTTPacket) -> String {
        "Client \(clientID) sending \(describeSent(packet))"
    }

    func received(_ packet: MQTTPacket) -> String {
        "Client \(clientID) received \(describeReceived(packet))"
    }

    private func describeSent(_ packet: MQTTPacket) -> String {
        switch packet {
        case .publish(let publish): "PUBLISH \(summary(of: publish))"
        case .pubAck(let ack): "PUBACK (m\(ack.packetID), rc\(ack.reasonCode.rawValue))"
        case .pubRec(let ack): "PUBREC (m\(ack.packetID), rc\(ack.reasonCode.rawValue))"
        case .pubRel(let ack): "PUBREL (m\(ack.packetID))"
        case .pubComp(let ack): "PUBCOMP (m\(ack.packetID))"
        case .subscribe(let subscribe):
            subscribe.subscriptions.map {
                "SUBSCRIBE (Mid: \(subscribe.packetID), Topic: \($0.filter), QoS: \($0.options.qos.rawValue), Options: 0x\(hex2($0.options.byte(version: .v5) & 0xFC)))"
            }.joined(separator: "\nClient \(clientID) sending ")
        case .unsubscribe(let unsubscribe):
            unsubscribe.filters.map { "UNSUBSCRIBE (Mid: \(unsubscribe.packetID), Topic: \($0))" }
                .joined(separator: "\nClient \(clientID) sending ")
        default: packet.type.description
        }
    }

    private func describeReceived(_ packet: MQTTPacket) -> String {
        switch packet {
        case .connAck(let connAck): "CONNACK (\(connAck.reasonCode.rawValue))"
        case .publish(let publish): "PUBLISH \(summary(of: publish))"
        case .pubAck(let ack): "PUBACK (Mid: \(ack.packetID), RC:\(ack.reasonCode.rawValue))"
        case .pubRec(let ack): "PUBREC (Mid: \(ack.packetID))"
        case .pubRel(let ack): "PUBREL (Mid: \(ack.packetID))"
        case .pubComp(let ack): "PUBCOMP (Mid: \(ack.packetID), RC:\(ack.reasonCode.rawValue))"
        default: packet.type.description
        }
    }

    /// `(d0, q1, r0, m1, 'topic', ... (4 bytes))`; mosquitto numbers QoS 0 messages too, so callers pass `mid`.
    func summary(of publish: PublishPacket, mid: UInt16? = nil) -> String {
        let id = publish.packetID ?? mid ?? 0
        return "(d\(publish.dup ? 1 : 0), q\(publish.qos.rawValue), r\(publish.retain ? 1 : 0), m\(id), '\(publish.topic)', ... (\(publish.payload.readableBytes) bytes))"
    }

    private func hex2(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
