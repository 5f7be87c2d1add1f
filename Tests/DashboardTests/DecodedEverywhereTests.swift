import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard
import PayloadDecoders

/// Decoded values reach what reads payloads besides the detail view: the search and the exports (the log
/// and tree previews: DecoderViewTests).
final class DecodedEverywhereTests: XCTestCase {
    /// msgpack {"t": "boiler"} on factory/a, {"t": "pump"} on factory/b; "plain/pump" as text.
    private func state() throws -> DashboardState {
        var state = try Fixture.decoding([(filter: "factory/#", chain: "msgpack")])
        let boiler: [UInt8] = [0x81, 0xA1, 0x74, 0xA6] + Array("boiler".utf8)
        let pump: [UInt8] = [0x81, 0xA1, 0x74, 0xA4] + Array("Pump".utf8)
        for (topic, payload) in [("factory/a", boiler), ("factory/b", pump), ("plain/x", Array("pump".utf8))] {
            _ = update(&state, .message(ReceivedMessage(topic: topic, payload: ByteBuffer(bytes: payload), qos: .atMostOnce,
                                                        retain: false, receivedAt: Fixture.t0)))
        }
        return state
    }

    func testSearchFindsTextInsideADecodedValue() throws {
        var state = try state()
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "BOILER")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.selection.map { state.tree.nodes[$0].topic }, "factory/a")
        XCTAssertEqual(state.notice, "match 1/1")
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "pump")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.searchHits.map { state.tree.nodes[$0].topic }, ["factory/b"],
                       "a raw payload is not searched: only what shows through a decoder")
        _ = Fixture.press(&state, .character("/"))
        Fixture.type(&state, "\"t\"")
        _ = Fixture.press(&state, .enter)
        XCTAssertEqual(state.searchHits.count, 2, "the decoded JSON text, keys included")
    }

    func testTheLogPreviewsTheDecodedValue() throws {
        let state = try state()
        let log = Fixture.screen(state).drop { !$0.hasPrefix("┌ Log") }
        XCTAssertTrue(log.contains { $0.contains(#"factory/a"#) && $0.contains(#"{"t":"boiler"}"#) }, log.joined(separator: "\n"))
        XCTAssertTrue(log.contains { $0.contains("plain/x") && $0.contains("pump") })
    }

    func testExportsCarryTheDecodedJSONForDecodedTopicsOnly() throws {
        var state = try state()
        _ = Fixture.press(&state, .character("e"))
        guard case .export(let request)? = Fixture.press(&state, .enter).first else { return XCTFail() }
        XCTAssertEqual(request.decoded, [#"{"t":"boiler"}"#, #"{"t":"Pump"}"#, nil])
    }

    func testExportsWithoutDecodersHaveNoDecodedValues() {
        var state = Fixture.house()
        _ = Fixture.press(&state, .character("e"))
        guard case .export(let request)? = Fixture.press(&state, .enter).first else { return XCTFail() }
        XCTAssertEqual(request.decoded, [])
    }
}
