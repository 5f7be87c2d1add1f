import MQTTCore
import NIOCore
import XCTest

@testable import Dashboard

/// `y` / `Y`: OSC 52 bytes, the size bound and what the status line says.
final class ClipboardTests: XCTestCase {
    func testSequenceBytesAreExact() {
        XCTAssertEqual(OSC52.sequence(for: Array("hi".utf8)), [0x1b, 0x5d] + Array("52;c;aGk=".utf8) + [0x07])
        XCTAssertEqual(OSC52.sequence(for: []), [0x1b, 0x5d] + Array("52;c;".utf8) + [0x07])
    }

    func testBase64MatchesTheStandardVectors() {
        // RFC 4648 section 10.
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(String(decoding: OSC52.base64(Array(plain.utf8)), as: UTF8.self), encoded, plain)
        }
        XCTAssertEqual(String(decoding: OSC52.base64([0xff, 0xfe, 0x00, 0x1b]), as: UTF8.self), "//4AGw==")
    }

    func testControlBytesInAPayloadNeverReachTheTerminalRaw() {
        let hostile: [UInt8] = [0x1b, 0x5d, 0x30, 0x3b, 0x07, 0x9b, 0x0a]
        let sequence = OSC52.sequence(for: hostile)
        let body = sequence.dropFirst(7).dropLast()
        XCTAssertTrue(body.allSatisfy { $0 >= 0x2b && $0 <= 0x7a }, "only base64 characters between the markers")
        XCTAssertEqual(sequence.filter { $0 == 0x1b }.count, 1)
        XCTAssertEqual(sequence.filter { $0 == 0x07 }.count, 1)
    }

    func testYCopiesThePayloadAndSaysHowMuch() {
        var state = Fixture.house()
        state.select(state.tree.node("kitchen/temp")!)
        XCTAssertEqual(Fixture.press(&state, .character("y")), [.copyToClipboard(Array("21.5 °C".utf8))])
        XCTAssertEqual(state.notice, "copied payload, 8 B (OSC 52: the terminal may refuse; tmux needs set-clipboard on)")
        XCTAssertEqual(Fixture.press(&state, .character("Y")), [.copyToClipboard(Array("kitchen/temp".utf8))])
        XCTAssertTrue(state.notice!.hasPrefix("copied topic, 12 B"))
    }

    func testPayloadsTooLargeOrTruncatedAreNotCopied() {
        var large = Fixture.settings()
        large.maximumStoredPayload = 1 << 20
        var state = DashboardState(settings: large)
        let big = ByteBuffer(repeating: 0x41, count: OSC52.maximumBytes + 1)
        _ = update(&state, .message(ReceivedMessage(topic: "big", payload: big, receivedAt: Fixture.t0 + 6)))
        state.select(state.tree.node("big")!)
        XCTAssertEqual(Fixture.press(&state, .character("y")), [])
        XCTAssertEqual(state.notice, "payload is 75000 B, more than the 74999 B a terminal takes: not copied")

        var settings = Fixture.settings()
        settings.maximumStoredPayload = 4
        var small = DashboardState(settings: settings)
        _ = update(&small, .message(Fixture.message("t", "123456")))
        XCTAssertEqual(Fixture.press(&small, .character("y")), [])
        XCTAssertEqual(small.notice, "payload is 6 B, only 4 B kept (--max-payload): not copied")
    }

    func testNothingSelected() {
        var state = DashboardState(settings: Fixture.settings())
        XCTAssertEqual(Fixture.press(&state, .character("y")), [])
        XCTAssertEqual(state.notice, "nothing selected to copy")
    }
}
