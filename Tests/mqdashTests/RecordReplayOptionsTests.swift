import MQTTCore
import MQTTRecording
import XCTest

@testable import mqdash

final class RecordReplayOptionsTests: XCTestCase {
    private let first = RecordTimestamp(parsing: Array("2026-12-03T09:00:00Z".utf8))!

    private func message(_ topic: String, secondsAfterFirst: Int64 = 0, qos: UInt8 = 1, retain: Bool = true) -> RecordedMessage {
        RecordedMessage(
            time: RecordTimestamp(microsecondsSince1970: first.microsecondsSince1970 + secondsAfterFirst * 1_000_000), topic: topic,
            payload: [0xFF, 0x00], qos: qos, retain: retain, userProperties: [.init("k", "v")])
    }

    func testByteSizesTakeBinarySuffixes() {
        XCTAssertEqual(ByteSize(argument: "1000")?.bytes, 1000)
        XCTAssertEqual(ByteSize(argument: "10k")?.bytes, 10 * 1024)
        XCTAssertEqual(ByteSize(argument: "5M")?.bytes, 5 * 1024 * 1024)
        XCTAssertEqual(ByteSize(argument: "1G")?.bytes, 1 << 30)
        for bad in ["", "0", "-1", "10x", "k", "99999999999999999G"] { XCTAssertNil(ByteSize(argument: bad), bad) }
    }

    func testRotatedNamesKeepTheExtensions() {
        XCTAssertEqual(Recorder.rotatedPath("/tmp/rec.jsonl"), "/tmp/rec.1.jsonl")
        XCTAssertEqual(Recorder.rotatedPath("rec.jsonl.gz"), "rec.1.jsonl.gz")
        XCTAssertEqual(Recorder.rotatedPath("dir.d/rec"), "dir.d/rec.1")
        XCTAssertEqual(Recorder.rotatedPath(".hidden"), ".hidden.1")
    }

    func testPlanSendsTheRecordedMessageAsItWas() {
        guard case .send(let packet) = ReplayPlan().decide(message("a/b"), firstMessage: first) else { return XCTFail() }
        XCTAssertEqual(packet.topic, "a/b")
        XCTAssertEqual(Array(packet.payload.readableBytesView), [0xFF, 0x00])
        XCTAssertEqual(packet.qos, .atLeastOnce)
        XCTAssertTrue(packet.retain)
        XCTAssertEqual(packet.properties.userProperties.map(\.key), ["k"])
    }

    func testPlanRewritesTopicsQoSAndRetain() {
        let plan = ReplayPlan(stripPrefix: "site1/", prefix: "replay/", qos: .exactlyOnce, noRetain: true)
        guard case .send(let packet) = plan.decide(message("site1/a"), firstMessage: first) else { return XCTFail() }
        XCTAssertEqual(packet.topic, "replay/a")
        XCTAssertEqual(packet.qos, .exactlyOnce)
        XCTAssertFalse(packet.retain)
        guard case .send(let other) = plan.decide(message("site2/a"), firstMessage: first) else { return XCTFail() }
        XCTAssertEqual(other.topic, "replay/site2/a", "a topic without the prefix keeps its name")
        if case .invalid(let reason) = ReplayPlan(stripPrefix: "a").decide(message("a"), firstMessage: first) {
            XCTAssertTrue(reason.contains("cannot be published"), reason)
        } else {
            XCTFail("an empty topic is reported, not sent")
        }
    }

    func testPlanFiltersByTopicAndTime() {
        let plan = ReplayPlan(filters: ["keep/#"], from: .offset(.seconds(10)), to: ReplayPlan.TimeBound(argument: "2026-12-03T09:00:20Z"))
        XCTAssertEqual(plan.decide(message("drop/x", secondsAfterFirst: 15), firstMessage: first), .filtered)
        XCTAssertEqual(plan.decide(message("keep/x", secondsAfterFirst: 5), firstMessage: first), .filtered)
        XCTAssertEqual(plan.decide(message("keep/x", secondsAfterFirst: 25), firstMessage: first), .filtered)
        guard case .send = plan.decide(message("keep/x", secondsAfterFirst: 15), firstMessage: first) else { return XCTFail() }
        XCTAssertNil(ReplayPlan.TimeBound(argument: "soon"))
        XCTAssertEqual(ReplayPlan.TimeBound(argument: "1.5"), .offset(.milliseconds(1500)))
    }
}
