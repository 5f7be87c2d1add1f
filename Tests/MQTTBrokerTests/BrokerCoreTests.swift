import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

final class BrokerCoreTests: XCTestCase {
    func testConnAckTellsAV5ClientOurLimitsAndAssignsAnIDWhenItSentNone() throws {
        let harness = try BrokerTestHarness()
        let (_, ack) = try harness.connect("")
        XCTAssertEqual(ack.reasonCode, .success)
        XCTAssertFalse(ack.sessionPresent)
        XCTAssertEqual(ack.properties.receiveMaximum, 20)
        XCTAssertEqual(ack.properties.topicAliasMaximum, 10)
        XCTAssertTrue(ack.properties.assignedClientIdentifier?.hasPrefix("auto-") ?? false)
    }

    func testAnEmptyClientIDWithoutCleanSessionIsRefusedOn311() throws {
        let harness = try BrokerTestHarness()
        let (client, ack) = try harness.connect("", version: .v3_1_1, cleanStart: false)
        XCTAssertEqual(ack.reasonCode.rawValue, 2)
        XCTAssertTrue(client.isClosed)
    }

    func testWrongPasswordIsRefusedWith5On311And0x86OnV5() throws {
        var passwords = PasswordFile()
        passwords.setPassword("right", for: "iot")
        let security = ListenerSecurity(settings: .init(allowAnonymous: false), passwords: passwords)
        let harness = try BrokerTestHarness(security: security)
        XCTAssertEqual(try harness.connect("a", version: .v3_1_1, username: "iot", password: "wrong").1.reasonCode.rawValue, 5)
        XCTAssertEqual(try harness.connect("b", username: "iot", password: "wrong").1.reasonCode, .badUserNameOrPassword)
        XCTAssertEqual(try harness.connect("c").1.reasonCode, .notAuthorized)
        XCTAssertEqual(try harness.connect("d", username: "iot", password: "right").1.reasonCode, .success)
        XCTAssertTrue(harness.logLines.contains { $0.contains("bad user name or password for 'iot'") })
    }

    func testQoS1And2FlowsDeliverOnceWithTheRightAcks() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub")
        XCTAssertEqual(try subscribe(subscriber, "t/#", qos: .exactlyOnce).reasonCodes, [.grantedQoS2])
        let (publisher, _) = try harness.connect("pub")

        try publish(publisher, "t/1", "one", qos: .atLeastOnce, id: 7)
        guard case .pubAck(let puback) = try publisher.receive() else { return XCTFail("no PUBACK") }
        XCTAssertEqual(puback.packetID, 7)

        try publish(publisher, "t/2", "two", qos: .exactlyOnce, id: 8)
        guard case .pubRec(let pubrec) = try publisher.receive() else { return XCTFail("no PUBREC") }
        XCTAssertEqual(pubrec.packetID, 8)
        // The same QoS 2 message again before PUBREL: acknowledged, not delivered twice.
        try publisher.send(.publish(PublishPacket(topic: "t/2", payload: ByteBuffer(string: "two"), qos: .exactlyOnce, dup: true, packetID: 8)))
        guard case .pubRec = try publisher.receive() else { return XCTFail("no second PUBREC") }
        try publisher.send(.pubRel(AckPacket(packetID: 8)))
        guard case .pubComp(let pubcomp) = try publisher.receive() else { return XCTFail("no PUBCOMP") }
        XCTAssertEqual(pubcomp.reasonCode, .success)

        let delivered = try subscriber.publishes()
        XCTAssertEqual(delivered.map(\.topic), ["t/1", "t/2"])
        XCTAssertEqual(delivered.map(\.qos), [.atLeastOnce, .exactlyOnce])
        let second = try XCTUnwrap(delivered.last?.packetID)
        try subscriber.send(.pubRec(AckPacket(packetID: second)))
        guard case .pubRel(let pubrel) = try subscriber.receive() else { return XCTFail("no PUBREL") }
        XCTAssertEqual(pubrel.packetID, second)
    }

    func testRetainedMessagesAreSentWithRetainSetReplacedAndClearedByAnEmptyPayload() throws {
        let harness = try BrokerTestHarness()
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "livingroom/temp", "24.1", retain: true)
        try publish(publisher, "livingroom/temp", "24.3", retain: true)
        try publish(publisher, "kitchen/temp", "20.0", retain: true)
        try publish(publisher, "kitchen/temp", "", retain: true)

        let (subscriber, _) = try harness.connect("sub")
        _ = try subscribe(subscriber, "+/temp")
        let retained = try subscriber.publishes()
        XCTAssertEqual(retained.map(\.topic), ["livingroom/temp"])
        XCTAssertEqual(retained.first.map { String(buffer: $0.payload) }, "24.3")
        XCTAssertEqual(retained.first?.retain, true)

        // Live messages to an existing subscription carry RETAIN=0 unless retain-as-published.
        try publish(publisher, "livingroom/temp", "24.5", retain: true)
        XCTAssertEqual(try subscriber.publishes().map(\.retain), [false])
    }

    func testRetainHandlingTwoSendsNothingAndOneOnlyForANewSubscription() throws {
        let harness = try BrokerTestHarness()
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "a", "x", retain: true)
        let (subscriber, _) = try harness.connect("sub")
        _ = try subscribe(subscriber, "a", options: SubscriptionOptions(qos: .atMostOnce, retainHandling: .doNotSend))
        XCTAssertEqual(try subscriber.publishes().count, 0)
        _ = try subscribe(subscriber, "a", options: SubscriptionOptions(qos: .atMostOnce, retainHandling: .sendOnNewSubscribe))
        XCTAssertEqual(try subscriber.publishes().count, 0, "the subscription existed already")
        _ = try subscribe(subscriber, "a/#", options: SubscriptionOptions(qos: .atMostOnce, retainHandling: .sendOnNewSubscribe))
        XCTAssertEqual(try subscriber.publishes().count, 1)
    }

    func testOverlappingSubscriptionsGiveOneCopyAtTheHighestQoSWithEveryIdentifier() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub")
        _ = try subscribe(subscriber, "a/+", qos: .atMostOnce, properties: [.subscriptionIdentifier(1)])
        _ = try subscribe(subscriber, "a/#", qos: .atLeastOnce, id: 2, properties: [.subscriptionIdentifier(2)])
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "a/b", "x", qos: .exactlyOnce)
        let delivered = try subscriber.publishes()
        XCTAssertEqual(delivered.count, 1)
        XCTAssertEqual(delivered.first?.qos, .atLeastOnce)
        XCTAssertEqual(delivered.first?.properties.subscriptionIdentifiers.sorted(), [1, 2])
    }

    func testNoLocalAndDollarTopics() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("self")
        _ = try subscribe(client, "#", options: SubscriptionOptions(qos: .atMostOnce, noLocal: true))
        try publish(client, "mine", "x")
        try publish(client, "$internal/x", "y")
        XCTAssertEqual(try client.publishes().count, 0)
        let (other, _) = try harness.connect("other")
        try publish(other, "theirs", "x")
        try publish(other, "$internal/x", "y")
        XCTAssertEqual(try client.publishes().map(\.topic), ["theirs"], "# never matches a $ topic")
    }

    func testWillIsSentOnAbruptCloseButNotAfterDisconnect() throws {
        let harness = try BrokerTestHarness()
        let (watcher, _) = try harness.connect("watcher")
        _ = try subscribe(watcher, "status/#")
        let will = Will(topic: "status/a", payload: ByteBuffer(string: "offline"), qos: .atLeastOnce)
        let (a, _) = try harness.connect("a", will: will)
        a.drop()
        XCTAssertEqual(try watcher.publishes().map { String(buffer: $0.payload) }, ["offline"])

        let (b, _) = try harness.connect("b", will: Will(topic: "status/b", payload: ByteBuffer(string: "gone")))
        try b.send(.disconnect(DisconnectPacket()))
        XCTAssertEqual(try watcher.publishes().count, 0)

        let (c, _) = try harness.connect("c", will: Will(topic: "status/c", payload: ByteBuffer(string: "asked")))
        try c.send(.disconnect(DisconnectPacket(reasonCode: .disconnectWithWill)))
        XCTAssertEqual(try watcher.publishes().map(\.topic), ["status/c"])
    }

    func testWillDelayWaitsAndAReconnectInTimeCancelsIt() throws {
        let harness = try BrokerTestHarness()
        let (watcher, _) = try harness.connect("watcher")
        _ = try subscribe(watcher, "status/#")
        let will = Will(topic: "status/a", payload: ByteBuffer(string: "offline"), properties: [.willDelayInterval(5)])
        let (a, _) = try harness.connect("a", will: will, properties: [.sessionExpiryInterval(60)])
        a.drop()
        harness.advance(seconds: 1)
        XCTAssertEqual(try watcher.publishes().count, 0)
        harness.advance(seconds: 5)
        XCTAssertEqual(try watcher.publishes().map(\.topic), ["status/a"])

        let (b, _) = try harness.connect("b", will: Will(topic: "status/b", payload: ByteBuffer(string: "x"), properties: [.willDelayInterval(5)]),
                                         properties: [.sessionExpiryInterval(60)])
        b.drop()
        _ = try harness.connect("b", cleanStart: false, properties: [.sessionExpiryInterval(60)])
        harness.advance(seconds: 6)
        XCTAssertEqual(try watcher.publishes().count, 0)
    }

    func testTakeoverDisconnectsTheOldConnectionWith0x8EAndKeepsTheSession() throws {
        let harness = try BrokerTestHarness()
        let (first, _) = try harness.connect("same", properties: [.sessionExpiryInterval(60)])
        _ = try subscribe(first, "x")
        let (second, ack) = try harness.connect("same", cleanStart: false, properties: [.sessionExpiryInterval(60)])
        XCTAssertTrue(ack.sessionPresent)
        guard case .disconnect(let disconnect) = try first.receive() else { return XCTFail("no DISCONNECT to the old connection") }
        XCTAssertEqual(disconnect.reasonCode, .sessionTakenOver)
        XCTAssertTrue(first.isClosed)
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "x", "still subscribed")
        XCTAssertEqual(try second.publishes().count, 1)
    }

    func testPersistentSessionQueuesQoS1WhileOfflineAndExpires() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("keep", version: .v3_1_1, cleanStart: false)
        _ = try subscribe(subscriber, "q")
        subscriber.drop()
        let (publisher, _) = try harness.connect("pub")
        for index in 0..<3 { try publish(publisher, "q", "m\(index)", qos: .atLeastOnce, id: UInt16(index + 1)) }
        try publish(publisher, "q", "lost", qos: .atMostOnce)
        let (back, ack) = try harness.connect("keep", version: .v3_1_1, cleanStart: false)
        XCTAssertTrue(ack.sessionPresent)
        XCTAssertEqual(try back.publishes().map { String(buffer: $0.payload) }, ["m0", "m1", "m2"])

        let (short, _) = try harness.connect("short", properties: [.sessionExpiryInterval(2)])
        _ = try subscribe(short, "q")
        short.drop()
        harness.advance(seconds: 3)
        XCTAssertNil(harness.broker.core.sessions["short"])
        XCTAssertFalse(try harness.connect("short", cleanStart: false).1.sessionPresent)
    }

    func testQueueIsBoundedByMaxQueuedMessages() throws {
        var configuration = BrokerConfiguration()
        configuration.maxQueuedMessages = 5
        let harness = try BrokerTestHarness(configuration: configuration)
        let (subscriber, _) = try harness.connect("slow", version: .v3_1_1, cleanStart: false)
        _ = try subscribe(subscriber, "q")
        subscriber.drop()
        let (publisher, _) = try harness.connect("pub")
        for index in 0..<20 { try publish(publisher, "q", "m\(index)", qos: .atLeastOnce, id: UInt16(index + 1)) }
        XCTAssertEqual(harness.broker.core.sessions["slow"]?.queue.count, 5)
        XCTAssertTrue(harness.logLines.contains { $0.contains("Outgoing messages are being dropped for client slow") })
    }

    func testInflightWindowFollowsTheClientsReceiveMaximum() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub", properties: [.receiveMaximum(2)])
        _ = try subscribe(subscriber, "w")
        let (publisher, _) = try harness.connect("pub")
        for index in 0..<5 { try publish(publisher, "w", "m\(index)", qos: .atLeastOnce, id: UInt16(index + 1)) }
        let first = try subscriber.publishes()
        XCTAssertEqual(first.count, 2)
        try subscriber.send(.pubAck(AckPacket(packetID: try XCTUnwrap(first[0].packetID))))
        XCTAssertEqual(try subscriber.publishes().map { String(buffer: $0.payload) }, ["m2"])
    }

    func testReceiveMaximumOverrunIsDisconnect0x93() throws {
        var configuration = BrokerConfiguration()
        configuration.maxInflightMessages = 2
        let harness = try BrokerTestHarness(configuration: configuration)
        let (client, _) = try harness.connect("greedy")
        for index in 1...3 { try publish(client, "t", "x", qos: .exactlyOnce, id: UInt16(index)) }
        let packets = try client.receiveAll()
        guard case .disconnect(let disconnect) = packets.last else { return XCTFail("no DISCONNECT: \(packets)") }
        XCTAssertEqual(disconnect.reasonCode, .receiveMaximumExceeded)
    }

    func testTopicAliasesInBothDirections() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub", properties: [.topicAliasMaximum(5)])
        _ = try subscribe(subscriber, "sensors/#", qos: .atMostOnce)
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "sensors/one", "1", properties: [.topicAlias(3)])
        try publish(publisher, "", "2", properties: [.topicAlias(3)])
        let delivered = try subscriber.publishes()
        XCTAssertEqual(delivered.map(\.topic), ["sensors/one", ""], "the second delivery uses the alias only")
        XCTAssertEqual(delivered.map(\.properties.topicAlias), [1, 1])

        try publish(publisher, "", "3", properties: [.topicAlias(9)])
        guard case .disconnect(let disconnect) = try publisher.receiveAll().last else { return XCTFail("unknown alias accepted") }
        XCTAssertEqual(disconnect.reasonCode, .protocolError)
    }

    func testSharedSubscriptionGivesEachMessageToOneMemberInTurn() throws {
        let harness = try BrokerTestHarness()
        let (a, _) = try harness.connect("a")
        let (b, _) = try harness.connect("b")
        _ = try subscribe(a, "$share/g/jobs", qos: .atMostOnce)
        _ = try subscribe(b, "$share/g/jobs", qos: .atMostOnce)
        let (publisher, _) = try harness.connect("pub")
        for index in 0..<4 { try publish(publisher, "jobs", "\(index)") }
        XCTAssertEqual(try a.publishes().count, 2)
        XCTAssertEqual(try b.publishes().count, 2)
    }

    func testMessageExpiryDropsQueuedMessagesAndSendsTheRemainingInterval() throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub", cleanStart: true, properties: [.sessionExpiryInterval(100)])
        _ = try subscribe(subscriber, "e")
        subscriber.drop()
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "e", "short", qos: .atLeastOnce, id: 1, properties: [.messageExpiryInterval(1)])
        try publish(publisher, "e", "long", qos: .atLeastOnce, id: 2, properties: [.messageExpiryInterval(100)])
        harness.advance(seconds: 2)
        let (back, _) = try harness.connect("sub", cleanStart: false, properties: [.sessionExpiryInterval(100)])
        let delivered = try back.publishes()
        XCTAssertEqual(delivered.map { String(buffer: $0.payload) }, ["long"])
        XCTAssertLessThanOrEqual(try XCTUnwrap(delivered.first?.properties.messageExpiryInterval), 99)
    }

    func testMalformedPacketClosesOnlyThatConnection() throws {
        let harness = try BrokerTestHarness()
        let (good, _) = try harness.connect("good")
        _ = try subscribe(good, "t", qos: .atMostOnce)
        let (bad, _) = try harness.connect("bad")
        // PUBLISH with QoS 3 in its flags.
        try bad.sendBytes(ByteBuffer(bytes: [0x36, 0x03, 0x00, 0x01, 0x74]))
        XCTAssertTrue(bad.isClosed)
        XCTAssertTrue(harness.logLines.contains { $0.contains("Client bad") && $0.contains("malformed") })
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "t", "still fine")
        XCTAssertEqual(try good.publishes().count, 1)
    }

    func testPacketBeforeConnectAndSilentConnectionsAreClosed() throws {
        let harness = try BrokerTestHarness()
        let early = try harness.open()
        try early.send(.pingReq)
        XCTAssertTrue(early.isClosed)
        let silent = try harness.open()
        XCTAssertFalse(silent.isClosed)
        harness.advance(seconds: 11)
        XCTAssertTrue(silent.isClosed)
    }

    func testKeepAliveIsEnforcedAtOneAndAHalfTimes() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("idle", keepAlive: 10)
        harness.advance(seconds: 14)
        XCTAssertFalse(client.isClosed)
        harness.advance(seconds: 2)
        XCTAssertTrue(client.isClosed)
    }

    func testACLRefusesSubscriptionsAndPublishesItCanNeverAllow() throws {
        let acl = try ACL(contents: "user iot\ntopic readwrite livingroom/#\ntopic read kitchen/temp\n")
        var passwords = PasswordFile()
        passwords.setPassword("pw", for: "iot")
        let security = ListenerSecurity(settings: .init(allowAnonymous: false), passwords: passwords, acl: acl)
        let harness = try BrokerTestHarness(security: security)
        let (client, _) = try harness.connect("c", username: "iot", password: "pw")
        XCTAssertEqual(try subscribe(client, "garage/#").reasonCodes, [.notAuthorized])
        XCTAssertEqual(try subscribe(client, "livingroom/#", id: 2).reasonCodes, [.grantedQoS1])
        try publish(client, "kitchen/temp", "x", qos: .atLeastOnce, id: 3)
        guard case .pubAck(let ack) = try client.receive() else { return XCTFail("no PUBACK") }
        XCTAssertEqual(ack.reasonCode, .notAuthorized)
    }
}

final class StoredMessageCompactionTests: XCTestCase {
    func testAKeptMessageNoLongerPinsTheReadBufferItWasSlicedFrom() {
        var read = ByteBufferAllocator().buffer(capacity: 65_536)
        read.writeRepeatingByte(0x41, count: 65_536)
        let slice = read.getSlice(at: 100, length: 10)!
        let kept = StoredMessage(topic: "t", payload: slice, qos: .atLeastOnce, retain: true).compacted()
        XCTAssertEqual(kept.payload, slice)
        XCTAssertLessThan(kept.payload.storageCapacity, 1_024)
        let small = ByteBuffer(string: "24.1")
        XCTAssertEqual(StoredMessage(topic: "t", payload: small, qos: .atMostOnce, retain: false).compacted().payload, small)
    }
}

final class BrokerBackpressureTests: XCTestCase {
    private func harness() throws -> BrokerTestHarness {
        var configuration = BrokerConfiguration()
        configuration.maxQueuedMessages = 2
        return try BrokerTestHarness(configuration: configuration)
    }

    private func fill(_ subscriber: TestClient, from publisher: TestClient, count: Int, topic: String = "in") throws {
        for index in 0..<count {
            try publisher.send(.publish(PublishPacket(topic: topic, payload: ByteBuffer(string: "\(index)"), qos: .atLeastOnce,
                                                      packetID: UInt16(index + 1))))
        }
    }

    /// A client subscribed to "in" that takes one QoS 1 message at a time (receive maximum 1).
    private func oneAtATimeSubscriber(_ clientID: String, on harness: BrokerTestHarness) throws -> TestClient {
        let (subscriber, _) = try harness.connect(clientID, properties: [.receiveMaximum(1)])
        try subscribe(subscriber, "in")
        return subscriber
    }

    func subscribe(_ client: TestClient, _ filter: String) throws {
        try client.send(.subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: filter, options: SubscriptionOptions(qos: .atLeastOnce))])))
        _ = try client.receive()
    }

    func testAPublisherWhoseMessagesReachNobodyButAFullBusyQueueIsPausedUntilItDrains() throws {
        let harness = try harness()
        let subscriber = try oneAtATimeSubscriber("sink", on: harness)
        let (publisher, _) = try harness.connect("flood")
        try fill(subscriber, from: publisher, count: 1)
        let first = try XCTUnwrap(subscriber.publishes().first?.packetID)
        try subscriber.send(.pubAck(AckPacket(packetID: first)))   // the subscriber is alive and acknowledging
        try fill(subscriber, from: publisher, count: 5)             // 1 in flight, 2 queued, the rest dropped
        XCTAssertEqual(harness.broker.core.pausedPublishers.count, 1)
        // Draining below half the queue reads the publisher again.
        for packet in try subscriber.publishes() { try subscriber.send(.pubAck(AckPacket(packetID: packet.packetID!))) }
        for packet in try subscriber.publishes() { try subscriber.send(.pubAck(AckPacket(packetID: packet.packetID!))) }
        for packet in try subscriber.publishes() { try subscriber.send(.pubAck(AckPacket(packetID: packet.packetID!))) }
        XCTAssertTrue(harness.broker.core.pausedPublishers.isEmpty)
    }

    func testAStuckSubscriberNeverPausesThePublisher() throws {
        let harness = try harness()
        let stuck = try oneAtATimeSubscriber("stuck", on: harness)
        let (publisher, _) = try harness.connect("sensor")
        try fill(stuck, from: publisher, count: 6)
        XCTAssertTrue(harness.broker.core.pausedPublishers.isEmpty, "a subscriber that never acknowledged must not slow anyone")
    }

    func testAMessageSomeoneElseReceivedNeverPausesThePublisher() throws {
        let harness = try harness()
        let slow = try oneAtATimeSubscriber("slow", on: harness)
        let (healthy, _) = try harness.connect("healthy")
        try subscribe(healthy, "in")
        let (publisher, _) = try harness.connect("sensor")
        try fill(slow, from: publisher, count: 1)
        try slow.send(.pubAck(AckPacket(packetID: try XCTUnwrap(slow.publishes().first?.packetID))))
        try fill(slow, from: publisher, count: 6)
        XCTAssertTrue(harness.broker.core.pausedPublishers.isEmpty)
        XCTAssertEqual(try healthy.publishes().count, 7)
    }
}
