import Foundation
import MQTTCore
import NIOConcurrencyHelpers
import NIOCore
import XCTest

@testable import MQTTBroker

final class HeldAckTests: XCTestCase {
    private func publish(_ client: TestClient, _ topic: String, id: UInt16) throws {
        try client.send(.publish(PublishPacket(topic: topic, payload: ByteBuffer(string: "m\(id)"), qos: .atLeastOnce, packetID: id)))
    }

    private func acks(_ client: TestClient) throws -> [UInt16] {
        try client.receiveAll().compactMap { if case .pubAck(let ack) = $0 { ack.packetID } else { nil } }
    }

    private func subscriber(_ harness: BrokerTestHarness, _ id: String, _ filter: String) throws -> TestClient {
        let (client, _) = try harness.connect(id, cleanStart: false, properties: [.sessionExpiryInterval(300)])
        try client.send(.subscribe(SubscribePacket(packetID: 1, subscriptions: [Subscription(filter: filter, options: SubscriptionOptions(qos: .atLeastOnce))])))
        _ = try client.receive()
        return client
    }

    func testAnAckWaitsForTheSubscribersAcknowledgementOrTheCommitAndKeepsItsOrder() throws {
        let store = CommitOnDemandStore()
        let harness = try BrokerTestHarness(store: store)
        let online = try subscriber(harness, "online", "live")
        let offline = try subscriber(harness, "offline", "mail")
        offline.drop()
        let (publisher, _) = try harness.connect("pub")

        // To a connected persistent session: held until that subscriber acknowledges it.
        try publish(publisher, "live", id: 1)
        XCTAssertEqual(try acks(publisher), [])
        let delivered = try XCTUnwrap(online.publishes().first?.packetID)
        try online.send(.pubAck(AckPacket(packetID: delivered)))
        XCTAssertEqual(try acks(publisher), [1], "delivered and acknowledged: no need to wait for the disk")

        // To an offline session: only the commit releases it, and a later ready ack waits behind it.
        try publish(publisher, "mail", id: 2)
        try publish(publisher, "live", id: 3)
        let third = try XCTUnwrap(online.publishes().first?.packetID)
        try online.send(.pubAck(AckPacket(packetID: third)))
        XCTAssertEqual(try acks(publisher), [], "3 is delivered but must not overtake 2")
        store.commit()
        harness.loop.run()
        XCTAssertEqual(try acks(publisher), [2, 3])
        XCTAssertTrue(store.recorded.contains { if case .enqueue(clientID: "offline", _, _) = $0 { true } else { false } })
    }

    func testARetainedMessageAlwaysWaitsForTheCommit() throws {
        let store = CommitOnDemandStore()
        let harness = try BrokerTestHarness(store: store)
        let online = try subscriber(harness, "online", "live")
        let (publisher, _) = try harness.connect("pub")
        try publisher.send(.publish(PublishPacket(topic: "live", payload: ByteBuffer(string: "24.1"), qos: .atLeastOnce, retain: true, packetID: 7)))
        try online.send(.pubAck(AckPacket(packetID: try XCTUnwrap(online.publishes().first?.packetID))))
        XCTAssertEqual(try acks(publisher), [], "the retained copy is not safe until committed")
        store.commit()
        harness.loop.run()
        XCTAssertEqual(try acks(publisher), [7])
    }

    /// A commit that only acks expecting their subscribers' acks wait for is not urgent (the store may hold its
    /// batch open so that the queued copy and its removal cancel out); one that something needs is.
    func testOnlyACommitSomethingNeedsIsUrgent() throws {
        let store = CommitOnDemandStore()
        let harness = try BrokerTestHarness(store: store)
        _ = try subscriber(harness, "online", "live")
        let offline = try subscriber(harness, "offline", "mail")
        offline.drop()
        let (publisher, _) = try harness.connect("pub")
        let before = store.commitUrgencies.count

        try publish(publisher, "live", id: 1)
        XCTAssertEqual(Array(store.commitUrgencies.dropFirst(before)), [false], "sent at once to a connected subscriber")
        try publish(publisher, "mail", id: 2)
        XCTAssertEqual(store.commitUrgencies.last, true, "queued for an offline session: only the commit releases it")
        try publisher.send(.publish(PublishPacket(topic: "live", payload: ByteBuffer(string: "24.1"), qos: .atLeastOnce,
                                                  retain: true, packetID: 3)))
        XCTAssertEqual(store.commitUrgencies.last, true, "a retained message needs the commit")
    }
}
