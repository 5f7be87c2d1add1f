import Foundation
import MQTTCore
import NIOConcurrencyHelpers
import NIOCore
import XCTest

@testable import MQTTBroker

/// The broker core against clients that misbehave: never read, overrun windows, mix up acks,
/// resume someone else's session, or outlive the store. Time moves only with `harness.advance`.
final class BrokerHardeningTests: XCTestCase {
    // MARK: Unsent bytes are bounded: a client that does not read is not read either

    func testAClientWhoseOutputIsFullIsNotReadUntilItDrains() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("flood", keepAlive: 0)
        client.setWritable(false)
        XCTAssertTrue(client.isReadPaused, "past the write buffer's high-water mark, reading stops")
        client.setWritable(true)
        XCTAssertFalse(client.isReadPaused)
    }

    func testEveryAnswerThatFillsTheOutputStopsReading() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("pinger", keepAlive: 0)
        client.channel.isWritable = false   // the socket filled up without a writability event yet
        try client.send(.pingReq)
        XCTAssertTrue(client.isReadPaused, "the PINGRESP went into a full buffer: the next PINGREQ must wait unread")
    }

    func testAClientThatReadsNothingIsClosedAfterTheStallLimit() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("stuck", keepAlive: 0)
        client.setWritable(false)
        harness.advance(seconds: 59)
        XCTAssertFalse(client.isClosed)
        harness.advance(seconds: 2)
        XCTAssertTrue(client.isClosed)
        XCTAssertTrue(harness.logLines.contains { $0.contains("Client stuck") && $0.contains("has read nothing for 60 s") })
    }

    func testKeepAliveStillClosesAClientThatStoppedReading() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("silent", keepAlive: 2)
        client.setWritable(false)
        harness.advance(seconds: 4)
        XCTAssertTrue(client.isClosed, "1.5 x keep alive without a packet: closed, full output or not")
    }

    func testKeepAliveWaitsWhileTheBrokerItselfHoldsTheClientUnread() throws {
        let (harness, store) = try harnessWithHeldAcks(window: 1)
        let (client, _) = try harness.connect("slow", version: .v3_1_1, keepAlive: 2)
        try publish(client, "kept", "1", qos: .atLeastOnce, retain: true, id: 1)   // its PUBACK waits for the commit
        XCTAssertTrue(client.isReadPaused)
        harness.advance(seconds: 4)
        XCTAssertFalse(client.isClosed, "we chose not to read it: its silence is ours")
        commit(store, on: harness)
        XCTAssertFalse(client.isReadPaused)
    }

    func testMessagesHeldBackForAFullOutboxGoOutOnceTheSocketTookIt() throws {
        var configuration = BrokerConfiguration()
        configuration.maxInflightMessages = 100    // the window is not what holds them back here
        let harness = try BrokerTestHarness(configuration: configuration)
        let (subscriber, _) = try harness.connect("sub")
        _ = try subscribe(subscriber, "big", qos: .atLeastOnce)
        let (publisher, _) = try harness.connect("pub")
        // 24 x 64 KiB in one read: past 1 MiB the outbox is full and the rest wait in the session's queue.
        var burst = ByteBuffer()
        for id in 1...24 {
            let packet = PublishPacket(topic: "big", payload: ByteBuffer(repeating: 0x41, count: 65_536), qos: .atLeastOnce,
                                       packetID: UInt16(id))
            try MQTTPacket.publish(packet).write(into: &burst, version: .v5)
        }
        try publisher.sendBytes(burst)
        harness.loop.run()
        XCTAssertEqual(try subscriber.publishes().count, 24, "nothing acknowledges or drains: the flush itself must send the rest")
    }

    // MARK: 3.1.1 clients are held to the receive window too

    func testA311ClientIsNotReadPastItsInflightWindow() throws {
        let (harness, store) = try harnessWithHeldAcks(window: 2)
        let (client, _) = try harness.connect("old", version: .v3_1_1)
        try publish(client, "kept/1", "1", qos: .atLeastOnce, retain: true, id: 1)
        XCTAssertFalse(client.isReadPaused)
        try publish(client, "kept/2", "2", qos: .atLeastOnce, retain: true, id: 2)
        XCTAssertTrue(client.isReadPaused, "two PUBACKs wait for the store: the window is full")
        XCTAssertEqual(try client.receiveAll().count, 0)
        commit(store, on: harness)
        XCTAssertEqual(try client.receiveAll().count, 2)
        XCTAssertFalse(client.isReadPaused)
    }

    /// The pause comes while the publisher's read ends, so the channel's next request to read is held back (no
    /// autoRead switch each time the window fills) and passed on once the window has room.
    func testA311ClientsWindowHoldsBackTheNextReadUntilItHasRoom() throws {
        let (harness, store) = try harnessWithHeldAcks(window: 2)
        let (client, _) = try harness.connect("old", version: .v3_1_1)
        try publish(client, "kept/1", "1", qos: .atLeastOnce, retain: true, id: 1)
        try publish(client, "kept/2", "2", qos: .atLeastOnce, retain: true, id: 2)
        let reads = client.readsRequested
        client.channel.read()
        XCTAssertEqual(client.readsRequested, reads, "the window is full: the request to read is held back")
        XCTAssertFalse(client.autoReadSwitchedOff)
        commit(store, on: harness)
        XCTAssertEqual(try client.receiveAll().count, 2)
        XCTAssertEqual(client.readsRequested, reads + 1, "room again: the held-back request goes on")
    }

    func testA311ClientAwaitingPubrelIsStillRead() throws {
        var configuration = BrokerConfiguration()
        configuration.maxInflightMessages = 1
        let harness = try BrokerTestHarness(configuration: configuration)
        let (client, _) = try harness.connect("q2", version: .v3_1_1)
        try publish(client, "t", "1", qos: .exactlyOnce, id: 1)
        XCTAssertFalse(client.isReadPaused, "the PUBREL that completes it must be readable")
        try client.send(.pubRel(AckPacket(packetID: 1)))
        XCTAssertEqual(try client.receiveAll().map(\.type), [.pubRec, .pubComp])
    }

    private func harnessWithHeldAcks(window: Int) throws -> (BrokerTestHarness, CommitOnDemandStore) {
        let store = CommitOnDemandStore()
        var configuration = BrokerConfiguration()
        configuration.persistence = true
        configuration.maxInflightMessages = window
        return (try BrokerTestHarness(configuration: configuration, store: store), store)
    }

    /// The store commits; the broker hears it on its (embedded) loop.
    private func commit(_ store: CommitOnDemandStore, on harness: BrokerTestHarness) {
        store.commit()
        harness.loop.run()
    }

    // MARK: Acks must answer the QoS they belong to

    func testPubrecAnsweringAQoS1MessageCloses() throws {
        try assertWrongAckCloses(qos: .atLeastOnce, answer: { .pubRec(AckPacket(packetID: $0)) })
    }

    func testPubcompAnsweringAQoS1MessageCloses() throws {
        try assertWrongAckCloses(qos: .atLeastOnce, answer: { .pubComp(AckPacket(packetID: $0)) })
    }

    func testPubackAnsweringAQoS2MessageCloses() throws {
        try assertWrongAckCloses(qos: .exactlyOnce, answer: { .pubAck(AckPacket(packetID: $0)) })
    }

    private func assertWrongAckCloses(qos: QoS, answer: (UInt16) -> MQTTPacket, file: StaticString = #filePath, line: UInt = #line) throws {
        let harness = try BrokerTestHarness()
        let (subscriber, _) = try harness.connect("sub")
        _ = try subscribe(subscriber, "t", qos: qos)
        let (publisher, _) = try harness.connect("pub")
        try publish(publisher, "t", "x", qos: qos)
        let packetID = try XCTUnwrap(subscriber.publishes().first?.packetID, file: file, line: line)
        try subscriber.send(answer(packetID))
        XCTAssertTrue(subscriber.isClosed, file: file, line: line)
        XCTAssertTrue(harness.logLines.contains { $0.contains("answered a QoS \(qos.rawValue) message") }, file: file, line: line)
    }

    // MARK: Subscriptions

    func testNoLocalOnASharedSubscriptionClosesWithProtocolError() throws {
        let harness = try BrokerTestHarness()
        let (client, _) = try harness.connect("c")
        let shared = Subscription(filter: "$share/g/t", options: SubscriptionOptions(qos: .atMostOnce, noLocal: true))
        try client.send(.subscribe(SubscribePacket(packetID: 1, subscriptions: [shared])))
        guard case .disconnect(let disconnect) = try client.receive() else { return XCTFail("no DISCONNECT") }
        XCTAssertEqual(disconnect.reasonCode, .protocolError)
        XCTAssertTrue(client.isClosed)
    }

    // MARK: Sessions and identity

    func testPersistentClientExpirationCapsAV5SessionExpiry() throws {
        var configuration = BrokerConfiguration()
        configuration.persistentClientExpiration = 60
        let harness = try BrokerTestHarness(configuration: configuration)
        let (_, ack) = try harness.connect("long", cleanStart: false, properties: [.sessionExpiryInterval(UInt32.max)])
        XCTAssertEqual(ack.properties.sessionExpiryInterval, 60, "CONNACK tells the client the expiry in force")
        XCTAssertEqual(harness.broker.core.sessions["long"]?.expiryInterval, 60)
        let (_, uncapped) = try harness.connect("short", cleanStart: false, properties: [.sessionExpiryInterval(30)])
        XCTAssertNil(uncapped.properties.sessionExpiryInterval)
    }

    func testASessionResumedByAnotherUserGetsOnlyWhatThatUserMayRead() throws {
        let harness = try BrokerTestHarness(security: try aliceAndBob())
        let (alice, _) = try harness.connect("panel", cleanStart: false, username: "alice", password: "a",
                                              properties: [.sessionExpiryInterval(600)])
        _ = try subscribe(alice, "secret/#")
        alice.drop()
        let (publisher, _) = try harness.connect("pub", username: "alice", password: "a")
        try publish(publisher, "secret/code", "1234", qos: .atLeastOnce)
        XCTAssertEqual(harness.broker.core.sessions["panel"]?.queue.count, 1)

        let (bob, ack) = try harness.connect("panel", cleanStart: false, username: "bob", password: "b",
                                            properties: [.sessionExpiryInterval(600)])
        XCTAssertTrue(ack.sessionPresent)
        XCTAssertEqual(try bob.publishes().count, 0, "bob may not read secret/#: alice's queued message is not his")
        XCTAssertTrue(harness.logLines.contains { $0.contains("Dropped 1 queued messages of client panel") })
    }

    func testARestoredSessionChecksDeliveriesAgainstItsOwnUser() throws {
        let restored = StoredState(sessions: [StoredSession(
            clientID: "panel", expiryInterval: 600, disconnectedAt: Date(timeIntervalSince1970: 1_800_000_000), username: "alice",
            subscriptions: [StoredSubscription(filter: "secret/#", options: SubscriptionOptions(qos: .atLeastOnce))])])
        let harness = try BrokerTestHarness(security: try aliceAndBob(), restoring: restored)
        let (publisher, _) = try harness.connect("pub", username: "alice", password: "a")
        try publish(publisher, "secret/code", "1234", qos: .atLeastOnce)
        XCTAssertEqual(harness.broker.core.sessions["panel"]?.queue.count, 1, "alice's restored session may read secret/#")
    }

    private func aliceAndBob() throws -> ListenerSecurity {
        var passwords = PasswordFile()
        passwords.setPassword("a", for: "alice")
        passwords.setPassword("b", for: "bob")
        let acl = try ACL(contents: "user alice\ntopic readwrite secret/#\nuser bob\ntopic readwrite public/#\n")
        return ListenerSecurity(settings: .init(allowAnonymous: false), passwords: passwords, acl: acl)
    }

    // MARK: A store that cannot commit stops publishers

    func testPublishersAreNotReadWhileTheStoreFallsBehind() throws {
        let store = CommitOnDemandStore()
        var configuration = BrokerConfiguration()
        configuration.persistence = true
        let harness = try BrokerTestHarness(configuration: configuration, store: store)
        let (publisher, _) = try harness.connect("pub", properties: [.sessionExpiryInterval(60)])
        try publish(publisher, "t", "before")
        XCTAssertFalse(publisher.isReadPaused)
        store.fallingBehind.withLockedValue { $0 = true }
        try publish(publisher, "t", "during")
        XCTAssertTrue(publisher.isReadPaused)
        harness.advance(seconds: 1)
        XCTAssertTrue(publisher.isReadPaused, "still behind: still not read")
        store.fallingBehind.withLockedValue { $0 = false }
        harness.advance(seconds: 1)
        XCTAssertFalse(publisher.isReadPaused)
        XCTAssertTrue(harness.logLines.contains { $0.contains("The database is not keeping up") })
    }

    // MARK: Retained messages in a tree

    func testASubscribeVisitsOnlyTheRetainedTopicsItsFilterCanMatch() {
        let retained = RetainedMessages()
        for index in 0..<20_000 { retained.update(with: message("sensors/\(index)/value")) }
        XCTAssertEqual(retained.matching(filter: "nothing/here/+").count, 0)
        XCTAssertEqual(retained.nodesVisitedByLastMatch, 1, "one lookup at the root, not 20 000 comparisons")
        XCTAssertEqual(retained.matching(filter: "sensors/17/value").map(\.topic), ["sensors/17/value"])
        XCTAssertEqual(retained.nodesVisitedByLastMatch, 4)
        XCTAssertEqual(retained.matching(filter: "sensors/+/value").count, 20_000)
    }

    func testRetainedWildcardsFollowTheMatchingRules() {
        let retained = RetainedMessages()
        for topic in ["a", "a/b", "a/b/c", "/lead", "x//y", "$SYS/broker/uptime", "b/$x"] { retained.update(with: message(topic)) }
        XCTAssertEqual(retained.matching(filter: "#").map(\.topic), ["/lead", "a", "a/b", "a/b/c", "b/$x", "x//y"],
                       "only a first level starting with $ is hidden from wildcards")
        XCTAssertEqual(retained.matching(filter: "a/#").map(\.topic), ["a", "a/b", "a/b/c"])
        XCTAssertEqual(retained.matching(filter: "+/b").map(\.topic), ["a/b"])
        XCTAssertEqual(retained.matching(filter: "+/+").map(\.topic), ["/lead", "a/b", "b/$x"])
        XCTAssertEqual(retained.matching(filter: "x/+/y").map(\.topic), ["x//y"])
        XCTAssertEqual(retained.matching(filter: "$SYS/#").map(\.topic), ["$SYS/broker/uptime"])
        XCTAssertEqual(retained.matching(filter: "+/broker/uptime").map(\.topic), [])
    }

    func testClearingARetainedTopicPrunesItsBranch() {
        let retained = RetainedMessages()
        retained.update(with: message("a/b/c"))
        retained.update(with: message("a/d"))
        XCTAssertEqual(retained.count, 2)
        retained.update(with: message("a/b/c", payload: ""))
        retained.update(with: message("never/set", payload: ""))
        XCTAssertEqual(retained.count, 1)
        XCTAssertEqual(retained.matching(filter: "#").map(\.topic), ["a/d"])
        XCTAssertEqual(retained.nodesVisitedByLastMatch, 3, "root, a and a/d: the emptied a/b branch is gone")
    }

    func testAVeryDeepRetainedTopicIsWalkedWithoutRecursion() {
        let retained = RetainedMessages()
        let deep = String(repeating: "x/", count: 30_000) + "end"
        retained.update(with: message(deep))
        XCTAssertEqual(retained.matching(filter: "#").count, 1)
        retained.update(with: message(deep, payload: ""))
        XCTAssertEqual(retained.count, 0)
    }

    private func message(_ topic: String, payload: String = "1") -> StoredMessage {
        StoredMessage(topic: topic, payload: ByteBuffer(string: payload), qos: .atMostOnce, retain: true)
    }
}
