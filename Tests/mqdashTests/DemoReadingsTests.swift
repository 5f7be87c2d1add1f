import Foundation
import XCTest

@testable import mqdash

final class DemoReadingsTests: XCTestCase {
    private func text(_ message: DemoMessage) -> String { String(decoding: message.payload, as: UTF8.self) }

    func testEverySensorSpeaksItsOwnFormatAndStaysPlausible() throws {
        var readings = DemoReadings(seed: 42)
        var seen: [String: [DemoMessage]] = [:]
        for _ in 0..<400 {
            let message = readings.next()
            seen[message.topic, default: []].append(message)
        }
        XCTAssertEqual(Set(seen.keys), ["livingroom/temp", "livingroom/humidity", "kitchen/temp", "kitchen/fridge",
                                        "kitchen/camera/thumbnail"])
        for message in seen["livingroom/temp"]! {
            let value = try XCTUnwrap(Double(text(message)), text(message))
            XCTAssertTrue((18...26).contains(value))
            XCTAssertNotNil(text(message).wholeMatch(of: /\d{2}\.\d/), text(message))
            XCTAssertTrue(message.retain)
        }
        for message in seen["livingroom/humidity"]! { XCTAssertTrue((30...70).contains(try XCTUnwrap(Int(text(message))))) }
        for message in seen["kitchen/temp"]! { XCTAssertNotNil(text(message).wholeMatch(of: /\d{2}\.\d °C/), text(message)) }
        var doors: Set<String> = []
        for message in seen["kitchen/fridge"]! {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(message.payload)) as? [String: Any])
            let temp = try XCTUnwrap(object["temp"] as? Double)
            XCTAssertTrue((2...9).contains(temp))
            doors.insert(try XCTUnwrap(object["door"] as? String))
        }
        XCTAssertTrue(doors.isSubset(of: ["open", "closed"]) && doors.contains("closed"))
        for message in seen["kitchen/camera/thumbnail"]! {
            XCTAssertTrue(message.payload.contains(0x00) && message.payload.contains(0x1B), "binary with NUL and ESC")
        }
    }

    func testWalksAreGentle() {
        var readings = DemoReadings(seed: 7)
        var previous: Double?
        for _ in 0..<200 {
            let message = readings.next()
            guard message.topic == "livingroom/temp", let value = Double(text(message)) else { continue }
            if let previous { XCTAssertLessThanOrEqual(abs(value - previous), 0.2501, "a step of at most 0.15, each side rounded to 0.1") }
            previous = value
        }
    }

    func testTheSameSeedGivesTheSameReadings() {
        var a = DemoReadings(seed: 1), b = DemoReadings(seed: 1)
        for _ in 0..<50 { XCTAssertEqual(a.next(), b.next()) }
    }

    func testTheDemoLabelsItself() {
        let announcements = DemoReadings.announcements
        XCTAssertEqual(announcements.map(\.topic), ["demo/README", "demo/status"])
        XCTAssertTrue(announcements.allSatisfy(\.retain))
        XCTAssertTrue(text(announcements[0]).contains("Simulated readings from mqdash --demo"))
        XCTAssertEqual(text(announcements[1]), "online")
        XCTAssertEqual(text(DemoReadings.goodbye), "offline")
        XCTAssertEqual(DemoReadings.decimal(21.449), "21.4")
        XCTAssertEqual(DemoReadings.decimal(-0.25), "-0.3")
    }
}
