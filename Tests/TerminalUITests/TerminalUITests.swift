import CNcursesw
import Dashboard
import Foundation
import NIOCore
import XCTest

@testable import TerminalUI

final class InputDecoderTests: XCTestCase {
    func key(_ value: UInt32) -> DashboardEvent? {
        var decoder = InputDecoder()
        return decoder.decode(isKeyCode: false, value: value)
    }

    func testControlCharactersBecomeKeys() {
        XCTAssertEqual(InputDecoder.key(scalar: "\r"), .enter)
        XCTAssertEqual(InputDecoder.key(scalar: "\n"), .enter)
        XCTAssertEqual(InputDecoder.key(scalar: "\t"), .tab)
        XCTAssertEqual(InputDecoder.key(scalar: "\u{1b}"), .escape)
        XCTAssertEqual(InputDecoder.key(scalar: "\u{7f}"), .backspace)
        XCTAssertEqual(InputDecoder.key(scalar: "\u{03}"), .control("c"))
        XCTAssertEqual(InputDecoder.key(scalar: "\u{01}"), .control("a"))
        XCTAssertEqual(InputDecoder.key(scalar: "\u{1a}"), .control("z"))
        XCTAssertEqual(InputDecoder.key(scalar: "q"), .character("q"))
        XCTAssertEqual(InputDecoder.key(scalar: "ü"), .character("ü"))
        XCTAssertEqual(InputDecoder.key(scalar: "漢"), .character("漢"))
    }

    func testCursesKeyCodes() {
        XCTAssertEqual(InputDecoder.key(code: KEY_UP), .up)
        XCTAssertEqual(InputDecoder.key(code: KEY_NPAGE), .pageDown)
        XCTAssertEqual(InputDecoder.key(code: KEY_BTAB), .backTab)
        XCTAssertEqual(InputDecoder.key(code: KEY_DC), .delete)
        XCTAssertEqual(InputDecoder.key(code: mqd_key_f(5)), .function(5))
        XCTAssertNil(InputDecoder.key(code: KEY_RESIZE))
    }

    func testBracketedPasteIsOneEvent() {
        var decoder = InputDecoder()
        XCTAssertNil(decoder.decode(isKeyCode: true, value: UInt32(InputDecoder.pasteStartKey)))
        for scalar in "a\rü\t\u{1b}b".unicodeScalars {
            XCTAssertNil(decoder.decode(isKeyCode: false, value: scalar.value))
        }
        guard case .paste(let text)? = decoder.decode(isKeyCode: true, value: UInt32(InputDecoder.pasteEndKey)) else {
            return XCTFail("no paste event")
        }
        XCTAssertEqual(text, "a\nü\tb")
        guard case .key(.character("x"))? = decoder.decode(isKeyCode: false, value: 0x78) else { return XCTFail("paste not ended") }
    }
}

final class ColorMappingTests: XCTestCase {
    func testCapabilityFromColorCount() {
        XCTAssertEqual(ColorCapability.from(colors: 0, canChangeColor: false), .none)
        XCTAssertEqual(ColorCapability.from(colors: 8, canChangeColor: false), .ansi(count: 8))
        XCTAssertEqual(ColorCapability.from(colors: 16, canChangeColor: false), .ansi(count: 16))
        XCTAssertEqual(ColorCapability.from(colors: 256, canChangeColor: true), .palette256)
        XCTAssertEqual(ColorCapability.from(colors: 0x1000000, canChangeColor: false), .direct)
        XCTAssertEqual(ColorCapability.from(colors: 32767, canChangeColor: true), .extended(count: 32767))
    }

    func testNearestPaletteColours() {
        XCTAssertEqual(ColorMapping.nearest256(255, 0, 0), 196)
        XCTAssertEqual(ColorMapping.nearest256(0, 0, 0), 16)
        XCTAssertEqual(ColorMapping.nearest256(128, 128, 128), 244)
        XCTAssertEqual(ColorMapping.nearestANSI(250, 10, 10, count: 8), 1)
        XCTAssertEqual(ColorMapping.nearestANSI(250, 10, 10, count: 16), 9)
    }

    func testResolve() {
        XCTAssertEqual(ColorMapping.resolve(.default, capability: .palette256), .number(-1))
        XCTAssertEqual(ColorMapping.resolve(.rgb(255, 0, 0), capability: .none), .number(-1))
        XCTAssertEqual(ColorMapping.resolve(.ansi(9), capability: .ansi(count: 8)), .number(1))
        XCTAssertEqual(ColorMapping.resolve(.indexed(196), capability: .ansi(count: 8)), .number(1))
        XCTAssertEqual(ColorMapping.resolve(.rgb(255, 0, 0), capability: .palette256), .number(196))
        XCTAssertEqual(ColorMapping.resolve(.rgb(0x12, 0x34, 0x56), capability: .direct), .number(0x123456))
        XCTAssertEqual(ColorMapping.resolve(.rgb(1, 2, 3), capability: .extended(count: 32767)), .define(r: 1, g: 2, b: 3))
    }
}

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
