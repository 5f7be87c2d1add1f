import MQTTClient
import MQTTCore
import XCTest

@testable import mqdash

/// The dashboard's MQTT 5 first, 3.1.1 when refused: which failures mean "no MQTT 5 here".
final class ProtocolFallbackTests: XCTestCase {
    func testUnsupportedVersionAndOldBrokerAnswersFallBack() {
        XCTAssertTrue(DashboardConnection.refusesV5(MQTTClientError.refused(ReasonCode(rawValue: 0x84), version: .v5)))
        XCTAssertTrue(DashboardConnection.refusesV5(MQTTClientError.refused(ReasonCode(rawValue: 0x01), version: .v5)))
        XCTAssertTrue(DashboardConnection.refusesV5(MQTTClientError.connectionLost("closed before CONNACK")))
        XCTAssertTrue(DashboardConnection.refusesV5(MQTTClientError.closed))
    }

    func testOtherRefusalsDoNot() {
        XCTAssertFalse(DashboardConnection.refusesV5(MQTTClientError.refused(ReasonCode(rawValue: 0x86), version: .v5)),
                       "bad user name or password is not about the version")
        XCTAssertFalse(DashboardConnection.refusesV5(MQTTClientError.refused(ReasonCode(rawValue: 0x87), version: .v5)))
        XCTAssertFalse(DashboardConnection.refusesV5(MQTTClientError.connectionRefused(host: "h", port: 1)))
        XCTAssertFalse(DashboardConnection.refusesV5(MQTTClientError.nameNotResolved(host: "h")))
    }
}
