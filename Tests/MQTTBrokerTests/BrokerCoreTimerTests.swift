import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

/// Every timer of the broker's core, on a manual clock: no sockets, no event loop, no sleeps.
final class BrokerCoreTimerTests: XCTestCase {
    func testASocketThatSendsNoConnectIsClosedAtTheConnectTimeout() {
        let driver = CoreDriver()
        let silent = driver.open()
        let talking = driver.connect("talking")
        driver.advance(by: .milliseconds(9_750))
        XCTAssertFalse(driver.closed.contains(silent))
        driver.advance(by: .milliseconds(250))
        XCTAssertTrue(driver.closed.contains(silent))
        XCTAssertFalse(driver.closed.contains(talking), "a connected client has no connect timeout")
        XCTAssertTrue(driver.logLines.contains { $0.contains("sent no CONNECT within 10 s") })
    }

    func testKeepAliveClosesAtOneAndAHalfTimesAndEveryPacketRestartsIt() {
        let driver = CoreDriver()
        let client = driver.connect("sensor", keepAlive: 2)
        driver.advance(by: .milliseconds(2_500))
        driver.send(.pingReq, from: client)
        XCTAssertEqual(driver.packets(for: client).count, 1, "PINGRESP")
        driver.advance(by: .milliseconds(2_750))
        XCTAssertFalse(driver.closed.contains(client), "2.75 s after its last packet, under 3 s")
        driver.advance(by: .milliseconds(250))
        XCTAssertTrue(driver.closed.contains(client))
        guard case .disconnect(let disconnect)? = driver.packets(for: client).last else { return XCTFail("no DISCONNECT") }
        XCTAssertEqual(disconnect.reasonCode, .keepAliveTimeout)
    }

    func testKeepAliveWaitsWhileTheCoreHoldsTheClientUnreadButNotWhileItDoesNotRead() {
        var configuration = BrokerConfiguration()
        configuration.maxInflightMessages = 1
        let driver = CoreDriver(configuration: configuration, persistent: true)
        let held = driver.connect("held", version: .v3_1_1, keepAlive: 1)
        // A retained QoS 1 message needs a commit before its PUBACK, which fills a 3.1.1 window of one.
        driver.publish(held, "t", "x", qos: .atLeastOnce, retain: true)
        XCTAssertTrue(driver.readingPaused.contains(held))
        driver.advance(by: .seconds(5))
        XCTAssertFalse(driver.closed.contains(held), "our silence is not the client's")
        driver.event(.committed(driver.commitsAwaited.removeFirst()))
        XCTAssertFalse(driver.readingPaused.contains(held))
        guard case .pubAck? = driver.packets(for: held).last else { return XCTFail("no PUBACK after the commit") }
        driver.advance(by: .milliseconds(1_500))
        XCTAssertTrue(driver.closed.contains(held), "once read again, its keep alive counts from the resume")

        let deaf = driver.connect("deaf", keepAlive: 1)
        driver.event(.outputFull(deaf))
        driver.advance(by: .milliseconds(1_500))
        XCTAssertTrue(driver.closed.contains(deaf), "a client that does not read gets no excuse")
    }

    func testAClientThatReadsNothingIsClosedAfterTheOutputStallLimit() {
        let driver = CoreDriver()
        let slow = driver.connect("slow")
        driver.event(.outputFull(slow))
        XCTAssertTrue(driver.readingPaused.contains(slow))
        driver.advance(by: .seconds(30))
        driver.event(.writable(slow))
        XCTAssertFalse(driver.readingPaused.contains(slow))
        driver.event(.outputFull(slow))
        driver.advance(by: .milliseconds(59_750))
        XCTAssertFalse(driver.closed.contains(slow), "the stall is counted from the last time it filled up")
        driver.advance(by: .milliseconds(250))
        XCTAssertTrue(driver.closed.contains(slow))
    }

    func testAWillWaitsOutItsDelayAndGoesWithTheSessionIfThatEndsFirst() {
        let driver = CoreDriver()
        let watcher = driver.connect("watcher")
        driver.subscribe(watcher, "status/#")
        let will = Will(topic: "status/a", payload: ByteBuffer(string: "gone"), properties: [.willDelayInterval(5)])
        let device = driver.connect("a", will: will, properties: [.sessionExpiryInterval(60)])
        driver.event(.closed(device))
        driver.advance(by: .seconds(4))
        XCTAssertEqual(driver.payloads(for: watcher), [])
        driver.advance(by: .seconds(1))
        XCTAssertEqual(driver.payloads(for: watcher), ["gone"])

        let short = driver.connect("b", will: Will(topic: "status/b", payload: ByteBuffer(string: "b gone"), properties: [.willDelayInterval(30)]),
                                   properties: [.sessionExpiryInterval(2)])
        driver.event(.closed(short))
        driver.advance(by: .seconds(1))
        XCTAssertEqual(driver.payloads(for: watcher), [], "neither delay nor expiry has passed")
        driver.advance(by: .seconds(1))
        XCTAssertEqual(driver.payloads(for: watcher), ["b gone"], "the will goes when the session ends, before its delay")
    }

    /// Client "sub" subscribed to "t" with this session expiry and went; client "pub" is connected.
    private func awaySubscriber(sessionExpiry: UInt32) -> (CoreDriver, publisher: ConnectionID) {
        let driver = CoreDriver()
        let subscriber = driver.connect("sub", properties: [.sessionExpiryInterval(sessionExpiry)])
        driver.subscribe(subscriber, "t")
        driver.event(.closed(subscriber))
        return (driver, driver.connect("pub"))
    }

    func testASessionExpiresAfterItsIntervalAndKeepsItsQueueUntilThen() {
        let (driver, publisher) = awaySubscriber(sessionExpiry: 10)
        driver.publish(publisher, "t", "while away", qos: .atLeastOnce)
        driver.advance(by: .seconds(9))
        XCTAssertEqual(driver.core.sessions["sub"]?.queue.count, 1)
        driver.advance(by: .seconds(1))
        XCTAssertNil(driver.core.sessions["sub"])
        XCTAssertTrue(driver.logLines.contains("Session of client sub expired."))
    }

    func testAQueuedMessageExpiresOnTheCoreClock() {
        let (driver, publisher) = awaySubscriber(sessionExpiry: 100)
        driver.publish(publisher, "t", "short", qos: .atLeastOnce, properties: [.messageExpiryInterval(5)])
        driver.publish(publisher, "t", "long", qos: .atLeastOnce, packetID: 2, properties: [.messageExpiryInterval(50)])
        driver.advance(by: .seconds(6))
        let back = driver.connect("sub", cleanStart: false)
        let publishes = driver.packets(for: back).compactMap { packet -> PublishPacket? in
            if case .publish(let publish) = packet { publish } else { nil }
        }
        XCTAssertEqual(publishes.map { String(buffer: $0.payload) }, ["long"])
        XCTAssertEqual(publishes.first?.properties.messageExpiryInterval, 44, "the interval left, not the one sent")
    }

    func testSysTopicsArePublishedEverySysInterval() {
        var configuration = BrokerConfiguration()
        configuration.sysInterval = 10
        let driver = CoreDriver(configuration: configuration)
        let watcher = driver.connect("watcher")
        driver.subscribe(watcher, "$SYS/broker/uptime")
        driver.advance(by: .seconds(1))
        XCTAssertEqual(driver.payloads(for: watcher), ["1 seconds"], "the first housekeeping publishes")
        driver.advance(by: .seconds(9))
        XCTAssertEqual(driver.payloads(for: watcher), [])
        driver.advance(by: .seconds(2))
        XCTAssertEqual(driver.payloads(for: watcher), ["11 seconds"])
    }

    func testAnAcknowledgementThatNeedsTheStoreWaitsForItsCommit() {
        let driver = CoreDriver(persistent: true)
        let publisher = driver.connect("pub")
        driver.publish(publisher, "config/a", "on", qos: .atLeastOnce, retain: true)
        XCTAssertTrue(driver.packets(for: publisher).isEmpty, "no PUBACK before the retained message is committed")
        XCTAssertTrue(driver.storeChanges.contains { if case .setRetained = $0 { true } else { false } })
        XCTAssertEqual(driver.commitsAwaited.count, 1)
        driver.event(.committed(driver.commitsAwaited[0]))
        guard case .pubAck(let ack)? = driver.packets(for: publisher).first else { return XCTFail("no PUBACK after the commit") }
        XCTAssertEqual(ack.packetID, 1)
    }

    func testAStoreThatFallsBehindStopsPublishersUntilItCatchesUp() {
        let driver = CoreDriver(persistent: true)
        let publisher = driver.connect("pub")
        driver.event(.storeFallingBehind(true))
        driver.publish(publisher, "t", "x")
        XCTAssertTrue(driver.readingPaused.contains(publisher))
        driver.advance(by: .seconds(3))
        XCTAssertTrue(driver.readingPaused.contains(publisher), "time alone does not resume it")
        driver.event(.storeFallingBehind(false))
        XCTAssertFalse(driver.readingPaused.contains(publisher))
    }

    func testNothingIsSentToAConnectionAfterItsClose() {
        let driver = CoreDriver()
        let subscriber = driver.connect("sub")
        driver.subscribe(subscriber, "t", qos: .atMostOnce)
        driver.send(.connect(ConnectPacket(version: .v5, clientID: "again")), from: subscriber)
        XCTAssertTrue(driver.closed.contains(subscriber))
        _ = driver.packets(for: subscriber)
        let publisher = driver.connect("pub")
        driver.publish(publisher, "t", "after")
        XCTAssertTrue(driver.packets(for: subscriber).isEmpty, "closing, not yet closed: nothing more is written")
    }
}
