import Foundation
import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard
@testable import PayloadDecoders

/// Payloads through the decoders in the dashboard: the detail view, the log preview, `v`, and the plot.
final class DecoderViewTests: XCTestCase {
    private func state(rules: [(filter: String, chain: String)]) throws -> DashboardState {
        try Fixture.decoding(rules)
    }

    private func send(_ state: inout DashboardState, _ topic: String, _ bytes: [UInt8], at offset: Double = 0) {
        _ = update(&state, .message(ReceivedMessage(topic: topic, payload: ByteBuffer(bytes: bytes), qos: .atMostOnce, retain: false,
                                                    receivedAt: Fixture.t0 + offset)))
    }

    private func screenText(_ state: DashboardState) -> String {
        var buffer = Buffer(width: state.screenWidth, height: state.screenHeight)
        render(state, into: &buffer, theme: .monochrome)
        return buffer.lines().joined(separator: "\n")
    }

    /// msgpack {"t": 21.5}, {"t": 22.5}
    private let first: [UInt8] = [0x81, 0xA1, 0x74, 0xCB, 0x40, 0x35, 0x80, 0, 0, 0, 0, 0]
    private let second: [UInt8] = [0x81, 0xA1, 0x74, 0xCB, 0x40, 0x36, 0x80, 0, 0, 0, 0, 0]

    func testRuleDecodesDetailLogAndPlot() throws {
        var state = try state(rules: [(filter: "sensors/#", chain: "msgpack")])
        send(&state, "sensors/a", first)
        send(&state, "sensors/a", second, at: 1)
        XCTAssertEqual(state.payloadView(for: "sensors/a"), .decoder(.single(.msgpack)))
        // sensors/a, the first topic with a message, is selected from the start.
        let screen = screenText(state)
        XCTAssertTrue(screen.contains("Payload (msgpack)"), screen)
        XCTAssertTrue(screen.contains(#""t": 22.5"#), screen)
        XCTAssertTrue(screen.contains(#"{"t":21.5}"#), "the log previews the decoded value:\n\(screen)")
        _ = Fixture.press(&state, .character("F"))
        Fixture.type(&state, "t")
        _ = Fixture.press(&state, .enter)
        let view = DetailView(message: state.tree.nodes[state.selection!].last, history: state.tree.history(of: state.selection!),
                              mode: .automatic, plotField: "t", scroll: 0, now: Fixture.t0 + 2)
        var decoding = view
        decoding.decode = { state.decoded($0) }
        XCTAssertEqual(decoding.plotPoints().map(\.value), [21.5, 22.5])
        XCTAssertEqual(view.plotPoints().map(\.value), [], "without the decoder the bytes are no number")
    }

    func testVCyclesPerTopicAndRemembers() throws {
        var state = try state(rules: [(filter: "sensors/#", chain: "msgpack"), (filter: "sensors/b", chain: "base64 | json")])
        send(&state, "sensors/a", first)
        send(&state, "sensors/b", Array("eyJhIjoxfQ==".utf8))
        XCTAssertEqual(state.selection, state.tree.node("sensors/a"), "the first topic with a message")
        XCTAssertEqual(state.payloadView.name, "msgpack")
        _ = Fixture.press(&state, .character("v"))
        XCTAssertEqual(state.payloadView, .mode(.automatic))
        _ = Fixture.press(&state, .down)
        XCTAssertEqual(state.payloadView.name, "msgpack", "sensors/b: the first matching rule is its default")
        _ = Fixture.press(&state, .character("v"))
        XCTAssertEqual(state.payloadView.name, "base64 | json", "then the other rules that match")
        XCTAssertTrue(screenText(state).contains(#""a": 1"#))
        _ = Fixture.press(&state, .up)
        XCTAssertEqual(state.payloadView, .mode(.automatic), "sensors/a kept its choice")
        XCTAssertEqual(PayloadView.cycle(for: "sensors/b", rules: state.settings.decoders).map(\.name),
                       ["msgpack", "base64 | json", "automatic", "text", "json", "hex", "cbor", "protobuf"])
    }

    func testFailureShowsTheErrorLineAndTheHexDump() throws {
        var state = try state(rules: [(filter: "bad", chain: "cbor")])
        send(&state, "bad", [0x1C, 0x1B, 0x5B, 0x32, 0x4A])
        let screen = screenText(state)
        XCTAssertTrue(screen.contains("cbor: reserved additional information 28 at"), screen)
        XCTAssertTrue(screen.contains("1c 1b 5b 32"), screen)
        XCTAssertFalse(screen.unicodeScalars.contains { $0.value == 0x1B }, "no raw control byte on screen")
    }

    func testSparkplugBirthThenDataShowsMetricNamesAndPlotsOne() throws {
        var state = try state(rules: [])
        var birth = SparkplugPayload()
        var metric = SparkplugMetric()
        metric.name = "Temperature"
        metric.alias = 5
        metric.datatype = 9
        metric.floatValue = 20.5
        birth.metrics = [metric]
        send(&state, "spBv1.0/plant/NBIRTH/edge", try Array(birth.serializedBytes() as Data))
        for (index, value) in [21.0, 22.5].enumerated() {
            var data = SparkplugPayload()
            var aliased = SparkplugMetric()
            aliased.alias = 5
            aliased.floatValue = Float(value)
            data.metrics = [aliased]
            send(&state, "spBv1.0/plant/NDATA/edge", try Array(data.serializedBytes() as Data), at: Double(index + 1))
        }
        let ndata = state.tree.nodes.firstIndex { $0.topic == "spBv1.0/plant/NDATA/edge" }!
        let last = state.tree.nodes[ndata].last!
        XCTAssertEqual(state.decoded(last)?.previewText,
                       #"{"type":"NDATA","metrics":[{"name":"Temperature","alias":5,"datatype":"Float","value":22.5}],"values":{"Temperature":22.5}}"#)
        var view = DetailView(message: last, history: state.tree.history(of: ndata), mode: .automatic, plotField: "Temperature", scroll: 0, now: Fixture.t0 + 3)
        view.decode = { state.decoded($0) }
        XCTAssertEqual(view.plotPoints().map(\.value), [21.0, 22.5])
    }
}
