import XCTest

@testable import Dashboard

/// Colours mapped down to what the terminal has, and how the terminal's depth is found.
final class ThemeColorDepthTests: XCTestCase {
    func testRedAllTheWayDown() {
        let red = TerminalColor.rgb(0xFF, 0x00, 0x00)
        XCTAssertEqual(ColorDepth.trueColor.map(red), red)
        XCTAssertEqual(ColorDepth.palette256.map(red), .indexed(196))
        XCTAssertEqual(ColorDepth.ansi16.map(.indexed(196)), .ansi(9), "xterm's bright red is exactly ff0000")
        XCTAssertEqual(ColorDepth.ansi8.map(.indexed(196)), .ansi(1))
        XCTAssertEqual(ColorDepth.ansi8.map(red), .ansi(1))
        XCTAssertEqual(ColorDepth.none.map(red), .default)
    }

    func testPaletteLookups() {
        XCTAssertEqual(ColorDepth.palette256.map(.rgb(0x5F, 0xAF, 0xD7)), .indexed(74), "exact cube colour")
        XCTAssertEqual(ColorDepth.palette256.map(.rgb(128, 128, 128)), .indexed(244), "greys go to the grey ramp")
        XCTAssertEqual(ColorDepth.palette256.map(.rgb(0, 0, 0)), .indexed(16))
        XCTAssertEqual(ColorDepth.palette256.map(.rgb(0xEE, 0xEE, 0xEE)), .indexed(255))
        XCTAssertEqual(ColorDepth.palette256.map(.rgb(0x00, 0x2B, 0x36)), .indexed(234), "solarized base03 is nearest a dark grey")
        XCTAssertEqual(XtermPalette.rgb(ofIndex: 231).red, 255)
        XCTAssertEqual(XtermPalette.rgb(ofIndex: 232).red, 8)
    }

    func testSixteenAndEightColours() {
        XCTAssertEqual(ColorDepth.ansi16.map(.ansi(12)), .ansi(12))
        XCTAssertEqual(ColorDepth.ansi16.map(.indexed(3)), .ansi(3))
        XCTAssertEqual(ColorDepth.ansi8.map(.ansi(3)), .ansi(3))
        XCTAssertEqual(ColorDepth.ansi8.map(.ansi(8)), .ansi(7), "grey must not turn into black on 8 colours")
        XCTAssertEqual(ColorDepth.ansi8.map(.ansi(15)), .ansi(7))
        XCTAssertEqual(ColorDepth.ansi8.map(.indexed(11)), .ansi(3))
        XCTAssertEqual(ColorDepth.ansi16.map(.rgb(0x26, 0x8B, 0xD2)), .ansi(6), "solarized blue is nearer xterm cyan than xterm blue")
        XCTAssertEqual(ColorDepth.ansi8.map(.rgb(0x26, 0x8B, 0xD2)), .ansi(6))
        XCTAssertEqual(ColorDepth.ansi8.map(.default), .default)
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .indexed(196), background: .default, attributes: .bold)),
                       Style(foreground: .ansi(1), background: .default, attributes: .bold))
    }

    func testGreysStayGrey() {
        XCTAssertEqual(ColorDepth.ansi16.map(.rgb(128, 128, 128)), .ansi(8), "not cyan, which is nearer by distance")
        XCTAssertEqual(ColorDepth.ansi8.map(.indexed(240)), .ansi(0))
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .indexed(244))), Style(foreground: .default, attributes: .dim),
                       "grey text on the terminal's background is dimmed default text on 8 colours")
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .indexed(252))), Style(foreground: .ansi(7)), "near white stays white")
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .ansi(0))), Style(foreground: .ansi(0)), "named black is kept")
        XCTAssertEqual(ColorDepth.ansi16.map(Style(foreground: .indexed(244))), Style(foreground: .ansi(8)))
    }

    func testForegroundNeverLandsOnItsBackground() {
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .indexed(238), background: .indexed(235))),
                       Style(foreground: .ansi(7), background: .ansi(0)))
        XCTAssertEqual(ColorDepth.ansi16.map(Style(foreground: .indexed(253), background: .indexed(255))),
                       Style(foreground: .ansi(0), background: .ansi(7)))
        XCTAssertEqual(ColorDepth.ansi8.map(Style(foreground: .ansi(0), background: .ansi(0))), Style(foreground: .ansi(0), background: .ansi(0)),
                       "a theme that asks for it gets it")
    }

    func testDetection() {
        let table: [(env: [String: String], colors: Int?, expected: ColorDepth)] = [
            ([:], nil, .none),
            (["TERM": "dumb"], nil, .none),
            (["TERM": "xterm-256color", "COLORTERM": "truecolor"], 256, .trueColor),
            (["TERM": "xterm-256color", "COLORTERM": "24bit"], nil, .trueColor),
            (["TERM": "xterm-256color", "COLORTERM": "yes"], nil, .palette256),
            (["TERM": "xterm-256color"], nil, .palette256),
            (["TERM": "screen-256color"], 256, .palette256),
            (["TERM": "xterm"], 8, .ansi8),
            (["TERM": "xterm"], 256, .palette256),
            (["TERM": "xterm-256color"], 8, .ansi8),
            (["TERM": "xterm"], nil, .ansi8),
            (["TERM": "rxvt-16color"], nil, .ansi16),
            (["TERM": "linux"], 8, .ansi8),
            (["TERM": "xterm-direct"], nil, .trueColor),
            (["TERM": "xterm-direct"], 0x100_0000, .trueColor),
            (["TERM": "vt100"], 0, .none),
            (["TERM": "vt100", "COLORTERM": "truecolor"], 0, .none),
            (["TERM": "xterm-256color", "NO_COLOR": ""], nil, .palette256),
            (["TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"], 256, .none),
        ]
        for (env, colors, expected) in table {
            XCTAssertEqual(ColorDepth.detect(environment: env, colorsReported: colors), expected, "\(env) \(String(describing: colors))")
        }
    }

    func testNoColorGivesMonochrome() throws {
        let theme = try Theme.load(nameOrPath: "solarized-dark", searchDirectories: [])
        let depth = ColorDepth.detect(environment: ["NO_COLOR": "1", "TERM": "xterm-256color"], colorsReported: 256)
        XCTAssertEqual(depth, .none)
        XCTAssertEqual(theme.adapted(to: depth), .monochrome)
    }

    func testShippedThemesAdaptToEveryDepth() throws {
        for name in Theme.availableNames(searchDirectories: []) {
            let theme = try Theme.load(nameOrPath: name, searchDirectories: [])
            XCTAssertEqual(theme.adapted(to: .trueColor), theme)
            for style in theme.adapted(to: .palette256).styles.values {
                for color in [style.foreground, style.background] {
                    if case .rgb = color { XCTFail("\(name): rgb left on 256 colours") }
                }
            }
            for style in theme.adapted(to: .ansi8).styles.values {
                for color in [style.foreground, style.background] {
                    switch color {
                    case .default, .ansi(0..<8): break
                    default: XCTFail("\(name): \(color) on 8 colours")
                    }
                }
            }
            // Text must stay visible on 8 and 16 colours: no role's foreground lands on its background.
            for depth in [ColorDepth.ansi8, .ansi16] {
                for (role, style) in theme.adapted(to: depth).styles where style.foreground != .default {
                    XCTAssertNotEqual(style.foreground, style.background, "\(name) \(role) on \(depth)")
                }
            }
        }
    }
}
