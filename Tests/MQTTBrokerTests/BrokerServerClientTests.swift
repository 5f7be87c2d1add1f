import Foundation
import MQTTBroker
import MQTTClient
import MQTTCore
import NIOConcurrencyHelpers
import NIOCore
import XCTest

/// The broker on a real loopback socket with the project's own client, in both protocol versions.
final class BrokerServerClientTests: XCTestCase {
    private var server: BrokerServer!
    private var port = 0

    override func setUp() async throws {
        var configuration = BrokerConfiguration()
        configuration.listeners[0].port = 0
        server = BrokerServer(configuration: configuration, log: BrokerLog(observer: nil))
        try await server.start()
        port = try XCTUnwrap(server.boundAddresses.first?.port)
    }

    override func tearDown() async throws {
        await server.stop()
    }

    private func client(_ id: String, version: MQTTVersion, cleanStart: Bool = true, properties: Properties = []) async throws -> MQTTClient {
        let client = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: port, version: version, clientID: id, cleanStart: cleanStart, connectProperties: properties))
        _ = try await client.connect()
        return client
    }

    /// Collects `count` messages from the client's event stream, or fails after a few seconds.
    private static func messages(_ client: MQTTClient, count: Int) async throws -> [PublishPacket] {
        try await withThrowingTaskGroup(of: [PublishPacket].self) { group in
            group.addTask {
                var received: [PublishPacket] = []
                for await event in client.events {
                    if case .message(let message) = event { received.append(message) }
                    if received.count == count { break }
                }
                return received
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                throw TestFailure("timed out waiting for \(count) messages")
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    /// `publishInOrder(_:whenDone:)`, a bridge's forward: each callback runs once its message's QoS flow has ended,
    /// in the order sent, and a client that is not connected fails the call at once.
    func testPublishInOrderWithACallbackHearsTheEndOfEachFlow() async throws {
        let publisher = try await client("in-order", version: .v5)
        let results = NIOLockedValueBox<[String]>([])
        let done = publisher.eventLoop.makePromise(of: Void.self)
        try await publisher.eventLoop.submit {
            for qos in [QoS.atMostOnce, .atLeastOnce, .exactlyOnce] {
                publisher.publishInOrder(PublishPacket(topic: "in-order/\(qos.rawValue)", payload: ByteBuffer(string: "x"), qos: qos)) { result in
                    let outcome = (try? result.get()).map { $0.reasonCode.isFailure ? "refused" : "done" } ?? "failed"
                    let count = results.withLockedValue { $0.append("\(qos.rawValue) \(outcome)"); return $0.count }
                    if count == 3 { done.succeed() }
                }
            }
        }.get()
        try await done.futureResult.get()
        XCTAssertEqual(results.withLockedValue { $0 }, ["0 done", "1 done", "2 done"])
        await publisher.disconnect()

        let idle = MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: port, clientID: "idle"))
        let failure = try await idle.eventLoop.submit {
            let failed = idle.eventLoop.makePromise(of: String.self)
            idle.publishInOrder(PublishPacket(topic: "t", payload: ByteBuffer(), qos: .atLeastOnce)) { result in
                if case .failure(let error) = result { failed.succeed("\(error)") } else { failed.succeed("succeeded") }
            }
            return failed.futureResult
        }.get().get()
        XCTAssertNotEqual(failure, "succeeded")
    }

    /// `publishInOrder(batch:)`, a replayer's batch: every message reaches a subscriber in order, whatever its QoS,
    /// and the callback hears each index exactly once (QoS 0 runs together once written); on a client that is not
    /// connected, each index fails.
    func testPublishInOrderOfABatchSendsInOrderAndReportsEachMessageOnce() async throws {
        let subscriber = try await client("batch-sub", version: .v5)
        _ = try await subscriber.subscribe([Subscription(filter: "batch/#", options: SubscriptionOptions(qos: .exactlyOnce))])
        let publisher = try await client("batch-pub", version: .v5)
        let qosOrder: [QoS] = [.atMostOnce, .atMostOnce, .atLeastOnce, .atMostOnce, .exactlyOnce, .atMostOnce, .atMostOnce]
        // The last three, 40 000 bytes each, make the QoS 0 run longer than one write takes (`encodedRunLimit`).
        let payloads = qosOrder.map { ByteBuffer(string: "\($0.rawValue)") } + Array(repeating: ByteBuffer(repeating: 0x61, count: 40_000), count: 3)
        let packets = zip(qosOrder + [.atMostOnce, .atMostOnce, .atMostOnce], payloads).enumerated().map {
            PublishPacket(topic: "batch/\($0.offset)", payload: $0.element.1, qos: $0.element.0)
        }
        async let received = Self.messages(subscriber, count: packets.count)
        let reported = NIOLockedValueBox<[Int: [String]]>([:])
        let done = publisher.eventLoop.makePromise(of: Void.self)
        publisher.eventLoop.execute {
            publisher.publishInOrder(batch: packets) { index, result in
                let outcome = (try? result.get()).map { $0.reasonCode.isFailure ? "refused" : "done" } ?? "failed"
                let total = reported.withLockedValue { $0[index, default: []].append(outcome); return $0.values.map(\.count).reduce(0, +) }
                if total == packets.count { done.succeed() }
            }
        }
        try await done.futureResult.get()
        XCTAssertEqual(reported.withLockedValue { $0 }, Dictionary(uniqueKeysWithValues: packets.indices.map { ($0, ["done"]) }))
        let delivered = try await received
        // The broker passes a QoS 2 message on at its PUBREL, a round trip later: order holds for the others.
        XCTAssertEqual(Set(delivered.map(\.topic)), Set(packets.map(\.topic)))
        XCTAssertEqual(delivered.filter { $0.qos != .exactlyOnce }.map(\.topic), packets.filter { $0.qos != .exactlyOnce }.map(\.topic))
        XCTAssertEqual(delivered.filter { $0.payload.readableBytes == 40_000 }.map(\.topic), packets.suffix(3).map(\.topic))
        await publisher.disconnect()
        await subscriber.disconnect()

        let idle = MQTTClient(configuration: MQTTClientConfiguration(host: "127.0.0.1", port: port, clientID: "idle-batch"))
        let failures = try await idle.eventLoop.submit {
            let failed = idle.eventLoop.makePromise(of: [Int].self)
            var indices: [Int] = []
            idle.publishInOrder(batch: Array(packets.prefix(3))) { index, result in
                if case .failure = result { indices.append(index) }
                if indices.count == 3 { failed.succeed(indices) }
            }
            return failed.futureResult
        }.get().get()
        XCTAssertEqual(failures.sorted(), [0, 1, 2])
    }

    func testEveryQoSAndARetainedMessageReachOurClientInBothVersions() async throws {
        for version in [MQTTVersion.v3_1_1, .v5] {
            let publisher = try await client("pub-\(version.rawValue)", version: version)
            _ = try await publisher.publish(topic: "livingroom/temp", payload: ByteBuffer(string: "24.1"), qos: .atLeastOnce, retain: true)
            let subscriber = try await client("sub-\(version.rawValue)", version: version)
            let ack = try await subscriber.subscribe([Subscription(filter: "livingroom/#", options: SubscriptionOptions(qos: .exactlyOnce))])
            XCTAssertEqual(ack.reasonCodes, [.grantedQoS2])
            async let received = Self.messages(subscriber, count: 4)
            try await Task.sleep(for: .milliseconds(50))
            for qos in [QoS.atMostOnce, .atLeastOnce, .exactlyOnce] {
                let result = try await publisher.publish(topic: "livingroom/q\(qos.rawValue)", payload: ByteBuffer(string: "x"), qos: qos)
                XCTAssertFalse(result.reasonCode.isFailure)
            }
            let delivered = try await received
            XCTAssertEqual(delivered.map(\.topic), ["livingroom/temp", "livingroom/q0", "livingroom/q1", "livingroom/q2"])
            XCTAssertEqual(delivered.first?.retain, true)
            XCTAssertEqual(delivered.map(\.qos), [.atLeastOnce, .atMostOnce, .atLeastOnce, .exactlyOnce])
            _ = try await publisher.publish(topic: "livingroom/temp", payload: ByteBuffer(), retain: true)
            await publisher.disconnect()
            await subscriber.disconnect()
        }
    }

    func testAPersistentSessionGetsWhatWasPublishedWhileItWasAway() async throws {
        let expiry: Properties = [.sessionExpiryInterval(60)]
        let away = try await client("away", version: .v5, cleanStart: false, properties: expiry)
        _ = try await away.subscribe([Subscription(filter: "mail/#", options: SubscriptionOptions(qos: .atLeastOnce))])
        await away.disconnect()
        let publisher = try await client("postman", version: .v5)
        for index in 0..<3 {
            _ = try await publisher.publish(topic: "mail/\(index)", payload: ByteBuffer(string: "letter"), qos: .atLeastOnce)
        }
        let back = MQTTClient(configuration: MQTTClientConfiguration(
            host: "127.0.0.1", port: port, version: .v5, clientID: "away", cleanStart: false, connectProperties: expiry))
        async let received = Self.messages(back, count: 3)
        let ack = try await back.connect()
        XCTAssertTrue(ack.sessionPresent)
        let delivered = try await received
        XCTAssertEqual(delivered.map(\.topic), ["mail/0", "mail/1", "mail/2"])
        await back.disconnect()
        await publisher.disconnect()
    }
}
