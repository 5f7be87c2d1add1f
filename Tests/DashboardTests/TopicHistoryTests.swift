import NIOCore
import XCTest

@testable import Dashboard

final class TopicHistoryTests: XCTestCase {
    private func payloads(_ history: TopicHistory) -> [String] {
        history.messages(topic: "t").map { String(buffer: $0.payload) }
    }

    func testRingKeepsTheNewestInOrderWithPayloadsOfEveryLength() {
        var history = TopicHistory()
        var expected: [String] = []
        for i in 0..<200 {
            // Lengths from 0 to 40 bytes, so the packed byte array is cut at odd places.
            let payload = String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: (i * 7) % 41) + "\(i)"
            history.append(Fixture.message("t", payload, at: Double(i)), capacity: 5)
            expected.append(payload)
            XCTAssertEqual(payloads(history), Array(expected.suffix(5)), "after \(i + 1)")
            XCTAssertEqual(history.newestPayload.map { String(decoding: $0, as: UTF8.self) }, payload)
            XCTAssertEqual(history.newest(topic: "t")?.receivedAt, Fixture.t0 + Double(i))
        }
        XCTAssertEqual(history.count, 5)
    }

    func testMetadataAndTruncatedSizeSurvive() {
        var history = TopicHistory()
        var message = Fixture.message("t", "abc", retain: true, qos: .exactlyOnce, at: 3)
        message.size = 1000
        history.append(message, capacity: 2)
        let stored = try! XCTUnwrap(history.newest(topic: "t"))
        XCTAssertEqual(stored.size, 1000)
        XCTAssertTrue(stored.isTruncated)
        XCTAssertEqual(stored.qos, .exactlyOnce)
        XCTAssertTrue(stored.retain)
        XCTAssertEqual(stored.topic, "t")
    }

    func testEmptyPayloads() {
        var history = TopicHistory()
        for _ in 0..<4 { history.append(Fixture.message("t", ""), capacity: 3) }
        XCTAssertEqual(payloads(history), ["", "", ""])
        history.append(Fixture.message("t", "x"), capacity: 3)
        XCTAssertEqual(payloads(history), ["", "", "x"])
    }
}
