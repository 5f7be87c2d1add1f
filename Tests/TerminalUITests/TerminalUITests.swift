import CNcursesw
import Dashboard
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
