import MQTTCore
import NIOCore

/// One packet of every type per protocol version. The v5 ones carry every property their
/// context allows, repeated user properties and non-default reason codes, so a round trip
/// exercises every field the codec knows.
enum SamplePackets {
    static let correlation = Bytes.buffer([0xDE, 0xAD, 0xBE, 0xEF])
    static let payload = Bytes.buffer("21.5 °C")

    static let v3: [MQTTPacket] = [
        .connect(ConnectPacket(
            version: .v3_1_1, clientID: "sensor-1", cleanStart: false, keepAlive: 30, username: "iot",
            password: Bytes.buffer("secret"),
            will: Will(topic: "status/sensor-1", payload: Bytes.buffer("offline"), qos: .exactlyOnce, retain: true))),
        .connect(ConnectPacket(version: .v3_1_1, clientID: "")),
        .connAck(ConnAckPacket(sessionPresent: true)),
        .connAck(ConnAckPacket(reasonCode: ReasonCode(rawValue: 5))),
        .publish(PublishPacket(topic: "livingroom/temperature", payload: payload)),
        .publish(PublishPacket(topic: "a/b", payload: ByteBuffer(), qos: .atLeastOnce, retain: true, dup: true, packetID: 7)),
        .publish(PublishPacket(topic: "ünïcode/😀", payload: payload, qos: .exactlyOnce, packetID: 65_535)),
        .pubAck(AckPacket(packetID: 1)),
        .pubRec(AckPacket(packetID: 2)),
        .pubRel(AckPacket(packetID: 3)),
        .pubComp(AckPacket(packetID: 4)),
        .subscribe(SubscribePacket(packetID: 10, subscriptions: [
            Subscription(filter: "livingroom/#"),
            Subscription(filter: "+/temperature", options: SubscriptionOptions(qos: .atLeastOnce)),
            Subscription(filter: "a/b", options: SubscriptionOptions(qos: .exactlyOnce)),
        ])),
        .subAck(SubAckPacket(packetID: 10, reasonCodes: [.success, .grantedQoS1, .grantedQoS2, .unspecifiedError])),
        .unsubscribe(UnsubscribePacket(packetID: 11, filters: ["livingroom/#", "+/temperature"])),
        .unsubAck(UnsubAckPacket(packetID: 11)),
        .pingReq,
        .pingResp,
        .disconnect(DisconnectPacket()),
    ]

    static let v5: [MQTTPacket] = [
        .connect(ConnectPacket(
            version: .v5, clientID: "dash", cleanStart: true, keepAlive: 0, username: "iot", password: Bytes.buffer([0, 1, 2]),
            will: Will(
                topic: "status/dash", payload: Bytes.buffer("gone"), qos: .atLeastOnce, retain: false,
                properties: [
                    .willDelayInterval(30), .payloadFormatIndicator(1), .messageExpiryInterval(3600),
                    .contentType("text/plain"), .responseTopic("replies/dash"), .correlationData(correlation),
                    .userProperty("k", "v1"), .userProperty("k", "v2"),
                ]),
            properties: [
                .sessionExpiryInterval(0xFFFF_FFFF), .receiveMaximum(20), .maximumPacketSize(1 << 20),
                .topicAliasMaximum(10), .requestResponseInformation(1), .requestProblemInformation(0),
                .authenticationMethod("SCRAM-SHA-1"), .authenticationData(Bytes.buffer("client-first")),
                .userProperty("app", "mqdash"), .userProperty("app", "mqdash"),
            ])),
        // v5 allows a password without a user name.
        .connect(ConnectPacket(version: .v5, clientID: "p", password: Bytes.buffer("only-password"))),
        .connAck(ConnAckPacket(
            sessionPresent: true, reasonCode: .success,
            properties: [
                .sessionExpiryInterval(120), .receiveMaximum(100), .maximumQoS(1), .retainAvailable(0),
                .maximumPacketSize(65_536), .assignedClientIdentifier("auto-1234"), .topicAliasMaximum(5),
                .reasonString("welcome"), .wildcardSubscriptionAvailable(1), .subscriptionIdentifierAvailable(0),
                .sharedSubscriptionAvailable(1), .serverKeepAlive(45), .responseInformation("resp/"),
                .serverReference("other:1883"), .authenticationMethod("SCRAM-SHA-1"),
                .authenticationData(Bytes.buffer("server-final")), .userProperty("a", "1"), .userProperty("a", "2"),
            ])),
        .connAck(ConnAckPacket(reasonCode: .notAuthorized)),
        .publish(PublishPacket(
            topic: "livingroom/temperature", payload: payload, qos: .exactlyOnce, retain: true, dup: true, packetID: 42,
            properties: [
                .payloadFormatIndicator(1), .messageExpiryInterval(60), .topicAlias(3), .responseTopic("r/t"),
                .correlationData(correlation), .userProperty("u", "1"), .userProperty("u", "2"),
                .subscriptionIdentifier(1), .subscriptionIdentifier(268_435_455), .contentType("text/plain; charset=utf-8"),
            ])),
        // A topic alias may replace the topic name (spec 3.3.2.3.4).
        .publish(PublishPacket(topic: "", payload: payload, properties: [.topicAlias(3)])),
        .publish(PublishPacket(topic: "plain", payload: ByteBuffer())),
        .pubAck(AckPacket(packetID: 1)),
        .pubAck(AckPacket(packetID: 2, reasonCode: .noMatchingSubscribers)),
        .pubAck(AckPacket(packetID: 3, reasonCode: .notAuthorized, properties: [.reasonString("acl"), .userProperty("x", "y")])),
        .pubRec(AckPacket(packetID: 4, reasonCode: .quotaExceeded, properties: [.reasonString("full")])),
        .pubRel(AckPacket(packetID: 5, reasonCode: .packetIdentifierNotFound, properties: [.userProperty("x", "y")])),
        .pubComp(AckPacket(packetID: 6, reasonCode: .success, properties: [.reasonString("done")])),
        .subscribe(SubscribePacket(
            packetID: 12,
            subscriptions: [
                Subscription(filter: "livingroom/#", options: SubscriptionOptions(
                    qos: .exactlyOnce, noLocal: true, retainAsPublished: true, retainHandling: .doNotSend)),
                Subscription(filter: "$share/group/+/temperature", options: SubscriptionOptions(
                    qos: .atLeastOnce, retainHandling: .sendOnNewSubscribe)),
                Subscription(filter: "#"),
            ],
            properties: [.subscriptionIdentifier(99), .userProperty("s", "1"), .userProperty("s", "2")])),
        .subAck(SubAckPacket(
            packetID: 12, reasonCodes: [.grantedQoS2, .grantedQoS1, .sharedSubscriptionsNotSupported],
            properties: [.reasonString("partly"), .userProperty("s", "1")])),
        .unsubscribe(UnsubscribePacket(packetID: 13, filters: ["livingroom/#", "#"], properties: [.userProperty("u", "1")])),
        .unsubAck(UnsubAckPacket(
            packetID: 13, reasonCodes: [.success, .noSubscriptionExisted], properties: [.reasonString("ok"), .userProperty("u", "1")])),
        .pingReq,
        .pingResp,
        .disconnect(DisconnectPacket()),
        .disconnect(DisconnectPacket(reasonCode: .disconnectWithWill)),
        .disconnect(DisconnectPacket(
            reasonCode: .serverMoved,
            properties: [.sessionExpiryInterval(0), .reasonString("bye"), .serverReference("b:1883"), .userProperty("a", "b")])),
        .auth(AuthPacket()),
        .auth(AuthPacket(
            reasonCode: .continueAuthentication,
            properties: [.authenticationMethod("SCRAM-SHA-1"), .authenticationData(Bytes.buffer("c")), .reasonString("more"),
                         .userProperty("a", "b")])),
    ]

    static func all(_ version: MQTTVersion) -> [MQTTPacket] { version == .v5 ? v5 : v3 }
}
