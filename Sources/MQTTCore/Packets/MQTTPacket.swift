import NIOCore

/// The packet type in the high nibble of the fixed header.
public enum MQTTPacketType: UInt8, Sendable, Hashable, CustomStringConvertible {
    case connect = 1, connAck, publish, pubAck, pubRec, pubRel, pubComp, subscribe, subAck, unsubscribe, unsubAck,
        pingReq, pingResp, disconnect, auth

    public var description: String {
        switch self {
        case .connect: "CONNECT"
        case .connAck: "CONNACK"
        case .publish: "PUBLISH"
        case .pubAck: "PUBACK"
        case .pubRec: "PUBREC"
        case .pubRel: "PUBREL"
        case .pubComp: "PUBCOMP"
        case .subscribe: "SUBSCRIBE"
        case .subAck: "SUBACK"
        case .unsubscribe: "UNSUBSCRIBE"
        case .unsubAck: "UNSUBACK"
        case .pingReq: "PINGREQ"
        case .pingResp: "PINGRESP"
        case .disconnect: "DISCONNECT"
        case .auth: "AUTH"
        }
    }

    /// The fixed-header flags every type but PUBLISH must carry (spec 2.1.3).
    var requiredFlags: UInt8 {
        switch self {
        case .pubRel, .subscribe, .unsubscribe: 0b0010
        default: 0
        }
    }

    /// Who may send it: a server decodes only client packets and the other way round.
    var sentByClient: Bool {
        switch self {
        case .connect, .publish, .pubAck, .pubRec, .pubRel, .pubComp, .subscribe, .unsubscribe, .pingReq, .disconnect, .auth: true
        case .connAck, .subAck, .unsubAck, .pingResp: false
        }
    }

    var sentByServer: Bool {
        switch self {
        case .connAck, .publish, .pubAck, .pubRec, .pubRel, .pubComp, .subAck, .unsubAck, .pingResp, .disconnect, .auth: true
        case .connect, .subscribe, .unsubscribe, .pingReq: false
        }
    }
}

/// Any MQTT control packet, 3.1.1 or 5.0.
public enum MQTTPacket: Sendable, Hashable {
    /// Boxed: CONNECT is by far the largest packet and comes once per connection, and unboxed it made
    /// every MQTTPacket (each PUBLISH included) big enough to be copied with memmove.
    indirect case connect(ConnectPacket)
    case connAck(ConnAckPacket)
    case publish(PublishPacket)
    case pubAck(AckPacket)
    case pubRec(AckPacket)
    case pubRel(AckPacket)
    case pubComp(AckPacket)
    case subscribe(SubscribePacket)
    case subAck(SubAckPacket)
    case unsubscribe(UnsubscribePacket)
    case unsubAck(UnsubAckPacket)
    case pingReq
    case pingResp
    case disconnect(DisconnectPacket)
    case auth(AuthPacket)

    public var type: MQTTPacketType {
        switch self {
        case .connect: .connect
        case .connAck: .connAck
        case .publish: .publish
        case .pubAck: .pubAck
        case .pubRec: .pubRec
        case .pubRel: .pubRel
        case .pubComp: .pubComp
        case .subscribe: .subscribe
        case .subAck: .subAck
        case .unsubscribe: .unsubscribe
        case .unsubAck: .unsubAck
        case .pingReq: .pingReq
        case .pingResp: .pingResp
        case .disconnect: .disconnect
        case .auth: .auth
        }
    }
}
