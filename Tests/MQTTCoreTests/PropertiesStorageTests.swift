import MQTTCore
import NIOCore
import XCTest

/// `Properties.storageBytes()` / `init(storageBytes:)`: what the broker's database keeps.
final class PropertiesStorageTests: XCTestCase {
    func testEveryPropertyAndRepeatsRoundTrip() throws {
        // Every identifier in one list (no packet allows that), user properties repeated in order.
        var all = Properties(PropertySpecTable.allowed.keys.sorted { $0.rawValue < $1.rawValue }.map(PropertySpecTable.sample))
        all.append(.userProperty("k", "second"))
        all.append(.userProperty("k", "first"))
        all.append(.subscriptionIdentifier(268_435_455))
        XCTAssertEqual(all.count, 30)
        let bytes = try all.storageBytes()
        XCTAssertEqual(try Properties(storageBytes: bytes), all)
        XCTAssertEqual(try Properties(storageBytes: bytes).userProperties.suffix(2).map(\.value), ["second", "first"])
    }

    func testEmptyListIsOneZeroByte() throws {
        XCTAssertEqual(try Properties().storageBytes(), [0])
        XCTAssertEqual(try Properties(storageBytes: [0]), [])
    }

    func testDamagedBytesAreRefused() throws {
        let bytes = try Properties([.contentType("text/plain"), .messageExpiryInterval(60)]).storageBytes()
        XCTAssertThrowsError(try Properties(storageBytes: bytes.dropLast())) { error in
            XCTAssertEqual(error as? MQTTDecodeError, .propertyLengthMismatch)
        }
        XCTAssertThrowsError(try Properties(storageBytes: bytes + [0x01])) { error in
            XCTAssertEqual(error as? MQTTDecodeError, .trailingBytes(1))
        }
        XCTAssertThrowsError(try Properties(storageBytes: [2, 0x7F, 0])) { error in
            XCTAssertEqual(error as? MQTTDecodeError, .unknownProperty(0x7F))
        }
        XCTAssertThrowsError(try Properties(storageBytes: [])) { error in
            XCTAssertEqual(error as? MQTTDecodeError, .truncated)
        }
    }

    func testTooLongStringIsAnEncodeError() {
        let long = String(repeating: "x", count: 70_000)
        XCTAssertThrowsError(try Properties([.contentType(long)]).storageBytes()) { error in
            XCTAssertEqual(error as? MQTTEncodeError, .stringTooLong(70_000))
        }
    }
}
