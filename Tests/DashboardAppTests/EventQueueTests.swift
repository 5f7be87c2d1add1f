import Dashboard
import Foundation
import NIOCore
import XCTest

@testable import DashboardApp

final class EventQueueTests: XCTestCase {
    func testDrainTakesEverythingInOrder() async {
        let queue = EventQueue()
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<4 {
                group.addTask { for i in 0..<1000 { queue.push(.tick(now: Double(producer * 1000 + i))) } }
            }
        }
        let events = queue.drain()
        XCTAssertEqual(events.count, 4000)
        XCTAssertEqual(queue.drain().count, 0)
    }
}

final class BoundedEventQueueTests: XCTestCase {
    private static func message(_ topic: String, bytes: Int = 4) -> DashboardEvent {
        .message(ReceivedMessage(topic: topic, payload: ByteBuffer(repeating: 0x31, count: bytes), receivedAt: 0))
    }

    private func message(_ topic: String, bytes: Int = 4) -> DashboardEvent { Self.message(topic, bytes: bytes) }

    private func topics(_ events: [DashboardEvent]) -> [String] {
        events.compactMap { if case .message(let message) = $0 { message.topic } else { nil } }
    }

    private func skipped(_ events: [DashboardEvent]) -> Int? {
        events.lazy.compactMap { if case .messagesSkipped(let count) = $0 { count } else { nil } }.first
    }

    func testMessagesBeyondTheCapacityAreCountedNotKept() {
        let queue = EventQueue(capacity: 3)
        for i in 0..<10 { queue.push(message("t/\(i)")) }
        XCTAssertEqual(queue.count, 3, "the queue holds at most its capacity")
        let batch = queue.drain()
        XCTAssertEqual(topics(batch), ["t/0", "t/1", "t/2"], "the oldest are kept, in order")
        XCTAssertEqual(skipped(batch), 7)
        if case .messagesSkipped = batch.last {} else { XCTFail("the skipped count comes after the kept messages") }

        queue.push(message("t/10"))
        let next = queue.drain()
        XCTAssertEqual(topics(next), ["t/10"], "after a drain there is room again")
        XCTAssertNil(skipped(next), "the skipped count is reported once")
    }

    func testPayloadBytesAreBoundedToo() {
        let queue = EventQueue(capacity: 100, payloadByteCapacity: 1000)
        queue.push(message("big/0", bytes: 5000))
        queue.push(message("small", bytes: 10))
        queue.push(message("big/1", bytes: 600))
        XCTAssertEqual(topics(queue.drain()), ["big/0"], "one message always fits, the byte budget stops the rest")
        queue.push(message("a", bytes: 400))
        queue.push(message("b", bytes: 400))
        queue.push(message("c", bytes: 400))
        let batch = queue.drain()
        XCTAssertEqual(topics(batch), ["a", "b"])
        XCTAssertEqual(skipped(batch), 1)
    }

    func testOtherEventsAreNeverSkipped() {
        let queue = EventQueue(capacity: 1)
        queue.push(message("t/0"))
        queue.push(message("t/1"))
        queue.push(.connection(.connected))
        queue.push(.published(PublishOutcome(topic: "x", acknowledgement: "sent")))
        let batch = queue.drain()
        XCTAssertEqual(batch.count, 4)
        if case .connection(.connected) = batch[1] {} else { XCTFail("connection change kept: \(batch)") }
        XCTAssertEqual(skipped(batch), 1)
    }

    func testConcurrentProducersStayBounded() {
        let queue = EventQueue(capacity: 1000)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in 0..<5000 { queue.push(BoundedEventQueueTests.message("w\(worker)/\(i)")) }
        }
        let batch = queue.drain()
        XCTAssertEqual(topics(batch).count, 1000)
        XCTAssertEqual(skipped(batch), 19_000, "every message is either kept or counted")
    }
}
