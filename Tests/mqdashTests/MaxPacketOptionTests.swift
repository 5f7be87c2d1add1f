import ArgumentParser
@testable import MQTTClient
import MQTTCore
import XCTest

@testable import mqdash

/// `--max-packet`: the largest packet `sub`, `pub` and the dashboard accept from the broker, and the
/// error that names it when a broker sends more.
final class MaxPacketOptionTests: XCTestCase {
    private func configuration(_ arguments: String...) throws -> MQTTClientConfiguration {
        try ConnectionOptions.parse(arguments).publisherConfiguration().0
    }

    func testDefaultIs16MiBAndV5AnnouncesIt() throws {
        XCTAssertEqual(try configuration().maximumPacketSize, 16_777_216)
        XCTAssertEqual(try configuration("-V", "5").makeConnectPacket(cleanStart: true).properties.maximumPacketSize, 16_777_216)
    }

    func testTheFlagSetsTheLimitOnBothVersions() throws {
        XCTAssertEqual(try configuration("--max-packet", "100000").maximumPacketSize, 100_000)
        let v5 = try configuration("-V", "5", "--max-packet", "2000000")
        XCTAssertEqual(v5.maximumPacketSize, 2_000_000)
        XCTAssertEqual(v5.makeConnectPacket(cleanStart: true).properties.maximumPacketSize, 2_000_000)
    }

    func testTheFlagWinsOverTheDProperty() throws {
        let both = try configuration("-D", "connect", "maximum-packet-size", "5000", "--max-packet", "7000")
        XCTAssertEqual(both.maximumPacketSize, 7000)
        let properties = both.makeConnectPacket(cleanStart: true).properties
        XCTAssertEqual(properties.items.filter { $0.identifier == .maximumPacketSize }, [.maximumPacketSize(7000)], "sent once, the flag's")
        XCTAssertEqual(try configuration("-D", "connect", "maximum-packet-size", "5000").maximumPacketSize, 5000)
    }

    func testValuesOutsideMQTTsRangeAreUsageErrors() throws {
        for bad in ["0", "268435461"] {
            XCTAssertThrowsError(try configuration("--max-packet", bad), bad) { error in
                XCTAssertTrue("\(error)".contains("--max-packet"), "\(error)")
            }
        }
        XCTAssertEqual(try configuration("--max-packet", "268435460").maximumPacketSize, 268_435_460)
    }

    func testTheErrorNamesTheSizeAndTheFlag() {
        let error = MQTTClientError.incomingPacketTooLarge(size: 262_144_010, maximum: 16_777_216)
        let failure = CommandFailure.connect(error, quiet: false)
        XCTAssertEqual(
            failure.message, "Error: the broker sent a 262144010-byte packet, above the 16777216-byte maximum (raise it with --max-packet).")
        XCTAssertEqual(failure.code, 1)
        XCTAssertNil(CommandFailure.connect(error, quiet: true).message)
        // The dashboard's status bar has 60 characters for it: the same facts, shorter.
        XCTAssertEqual(DashboardConnection.describe(error), "got a 262144010-byte packet, over --max-packet 16777216")
        XCTAssertEqual(
            DashboardConnection.describe(MQTTClientError.incomingPacketTooLarge(size: nil, maximum: 100)), "got a WebSocket frame, over --max-packet 100")
    }
}
