import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

/// The overview behind the dashboard's broker pane, and the pane's "disconnect this client".
final class BrokerOverviewTests: XCTestCase {
    func testTheOverviewListsConnectedClientsWithTheirCountersAndTheBrokerFigures() throws {
        let driver = CoreDriver()
        driver.advance(by: .seconds(2))
        let subscriber = driver.open()
        driver.send(.connect(ConnectPacket(version: .v5, clientID: "sensor-sub", keepAlive: 30, username: "iot")), from: subscriber)
        guard case .connAck? = driver.packets(for: subscriber).first else { return XCTFail("no CONNACK") }
        driver.subscribe(subscriber, "t/#", qos: .atLeastOnce)
        driver.subscribe(subscriber, "other", qos: .atMostOnce)
        driver.advance(by: .seconds(3))
        let publisher = driver.connect("publisher", version: .v3_1_1)
        // `$SYS` topics are retained too, and counted as mosquitto counts them.
        let retainedBefore = driver.core.overview().figures.retained
        for index in 1...3 { driver.publish(publisher, "t/\(index)", "v\(index)") }
        driver.publish(publisher, "t/kept", "r", retain: true)
        // QoS 1 to the subscriber: sent with a packet id and not acknowledged yet.
        driver.publish(publisher, "t/q1", "ack me", qos: .atLeastOnce, packetID: 9)
        _ = driver.packets(for: publisher)

        let overview = driver.core.overview()
        XCTAssertEqual(overview.clients.map(\.clientID), ["publisher", "sensor-sub"], "ordered by client id")
        let sub = overview.clients[1]
        XCTAssertEqual(sub.username, "iot")
        XCTAssertEqual(sub.remoteAddress, "127.0.0.1:50000")
        XCTAssertEqual(sub.version, .v5)
        XCTAssertEqual(sub.keepAlive, 30)
        XCTAssertEqual(sub.subscriptions, 2)
        XCTAssertEqual(sub.inflight, 1)
        XCTAssertEqual(sub.queued, 0)
        XCTAssertEqual(sub.messagesReceived, 0)
        XCTAssertEqual(sub.messagesSent, 5)
        XCTAssertEqual(sub.connectedAt, Date(timeIntervalSince1970: 1_800_000_002))
        let pub = overview.clients[0]
        XCTAssertEqual(pub.version, .v3_1_1)
        XCTAssertNil(pub.username)
        XCTAssertEqual(pub.messagesReceived, 5)
        XCTAssertEqual(pub.messagesSent, 0)
        XCTAssertEqual(pub.connectedAt, Date(timeIntervalSince1970: 1_800_000_005))

        let figures = overview.figures
        XCTAssertEqual(figures.connectedClients, 2)
        XCTAssertEqual(figures.sessions, 2)
        XCTAssertEqual(figures.messagesReceived, 5)
        XCTAssertEqual(figures.messagesSent, 5)
        XCTAssertEqual(figures.retained, retainedBefore + 1)
        XCTAssertEqual(figures.dropped, 0)
        XCTAssertEqual(figures.uptimeSeconds, 5)
        XCTAssertGreaterThan(figures.bytesSent, 0)
        XCTAssertEqual(overview.takenAt, Date(timeIntervalSince1970: 1_800_000_005))
    }

    func testAClientStillConnectingOrGoneIsNotListed() {
        let driver = CoreDriver()
        _ = driver.open()
        let gone = driver.connect("gone")
        driver.event(.closed(gone))
        XCTAssertEqual(driver.core.overview().clients.count, 0)
        XCTAssertEqual(driver.core.overview().figures.connectedClients, 0)
    }

    func testDisconnectingAV5ClientSendsDisconnect0x98ClosesItLogsAndPublishesItsWill() {
        let driver = CoreDriver()
        let watcher = driver.connect("watcher")
        driver.subscribe(watcher, "wills/#", qos: .atMostOnce)
        let will = Will(topic: "wills/sensor", payload: ByteBuffer(string: "gone"))
        let sensor = driver.connect("sensor", will: will)
        let before = driver.sentBytes[sensor]?.count ?? 0

        driver.event(.disconnectClient(clientID: "sensor"))

        XCTAssertEqual(driver.packets(for: sensor).map(\.type), [.disconnect])
        // DISCONNECT (0xE0) whose body is reason code 0x98, Administrative action.
        let sent = Array(driver.sentBytes[sensor]![before...])
        XCTAssertEqual(Array(sent.prefix(1)), [0xE0])
        XCTAssertEqual(sent.dropFirst(2).first, 0x98)
        XCTAssertTrue(driver.closed.contains(sensor))
        XCTAssertFalse(driver.closed.contains(watcher))
        XCTAssertTrue(driver.logLines.contains("Client sensor disconnected by the dashboard."), "\(driver.logLines)")

        driver.event(.closed(sensor))
        XCTAssertEqual(driver.payloads(for: watcher), ["gone"], "an administrative close is not a normal DISCONNECT")
        XCTAssertEqual(driver.core.overview().clients.map(\.clientID), ["watcher"])
    }

    func testDisconnectingA311ClientOnlyClosesIt() {
        let driver = CoreDriver()
        let old = driver.connect("old", version: .v3_1_1)
        driver.event(.disconnectClient(clientID: "old"))
        XCTAssertEqual(driver.packets(for: old).count, 0, "3.1.1 has no DISCONNECT from the server")
        XCTAssertTrue(driver.closed.contains(old))
    }

    func testDisconnectingAnUnknownClientChangesNothingAndSaysSo() {
        let driver = CoreDriver()
        let present = driver.connect("present")
        driver.event(.disconnectClient(clientID: "absent"))
        XCTAssertFalse(driver.closed.contains(present))
        XCTAssertTrue(driver.logLines.contains("Client absent is not connected: nothing to disconnect."))
    }
}
