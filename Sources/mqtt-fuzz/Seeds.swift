import MQTTCore
import NIOCore

/// Valid packets of every type in both versions, written by `--write-seeds` as the starting corpus.
/// Small on purpose: libFuzzer mutates faster from short inputs.
enum Seeds {
    static func files() -> [(name: String, bytes: ByteBuffer)] {
        var files: [(String, ByteBuffer)] = []
        for (version, tag) in [(MQTTVersion.v3_1_1, "v311"), (.v5, "v5")] {
            for (index, packet) in packets(version).enumerated() {
                var buffer = ByteBuffer()
                try! packet.write(into: &buffer, version: version)
                let number = index < 10 ? "0\(index)" : "\(index)"
                files.append(("\(tag)-\(number)-\(packet.type)".lowercased(), buffer))
            }
            // One stream of several packets, as a connection would carry them.
            var stream = ByteBuffer()
            for packet in [MQTTPacket.connect(ConnectPacket(version: version, clientID: "s")), .pingReq,
                           .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(string: "1"), qos: .atLeastOnce, packetID: 1)),
                           .disconnect(DisconnectPacket())] {
                try! packet.write(into: &stream, version: version)
            }
            files.append(("\(tag)-stream", stream))
        }
        return files
    }

    private static func packets(_ version: MQTTVersion) -> [MQTTPacket] {
        let v5 = version == .v5
        func props(_ properties: Properties) -> Properties { v5 ? properties : [] }
        var packets: [MQTTPacket] = [
            .connect(ConnectPacket(
                version: version, clientID: "c1", cleanStart: false, keepAlive: 30, username: "u", password: ByteBuffer(string: "p"),
                will: Will(topic: "w/t", payload: ByteBuffer(string: "bye"), qos: .atLeastOnce, retain: true,
                           properties: props([.willDelayInterval(5), .contentType("text/plain"), .userProperty("k", "v")])),
                properties: props([.sessionExpiryInterval(60), .receiveMaximum(10), .topicAliasMaximum(4), .authenticationMethod("m")]))),
            .connAck(ConnAckPacket(sessionPresent: true, properties: props([.assignedClientIdentifier("id"), .maximumQoS(1)]))),
            .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(string: "hello"))),
            .publish(PublishPacket(
                topic: "ü/😀", payload: ByteBuffer(string: "x"), qos: .exactlyOnce, retain: true, dup: true, packetID: 9,
                properties: props([.payloadFormatIndicator(1), .topicAlias(2), .correlationData(ByteBuffer(bytes: [1, 2])),
                                   .subscriptionIdentifier(300), .userProperty("a", "b"), .userProperty("a", "c")]))),
            .pubAck(AckPacket(packetID: 1, reasonCode: v5 ? .noMatchingSubscribers : .success, properties: props([.reasonString("r")]))),
            .pubRec(AckPacket(packetID: 2)),
            .pubRel(AckPacket(packetID: 3)),
            .pubComp(AckPacket(packetID: 4)),
            .subscribe(SubscribePacket(
                packetID: 5,
                subscriptions: [Subscription(filter: "a/#", options: SubscriptionOptions(qos: .atLeastOnce, noLocal: v5, retainHandling: v5 ? .doNotSend : .sendOnSubscribe)),
                                Subscription(filter: "+/b")],
                properties: props([.subscriptionIdentifier(7)]))),
            .subAck(SubAckPacket(packetID: 5, reasonCodes: [.grantedQoS1, .unspecifiedError])),
            .unsubscribe(UnsubscribePacket(packetID: 6, filters: ["a/#"])),
            .unsubAck(UnsubAckPacket(packetID: 6, reasonCodes: v5 ? [.noSubscriptionExisted] : [])),
            .pingReq,
            .pingResp,
            .disconnect(DisconnectPacket(reasonCode: v5 ? .serverMoved : .success, properties: props([.serverReference("b")]))),
        ]
        if v5 { packets.append(.auth(AuthPacket(reasonCode: .continueAuthentication, properties: [.authenticationMethod("m")]))) }
        return packets
    }
}
