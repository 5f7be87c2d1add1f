import XCTest

@testable import Dashboard

/// Theme files are read by the same TOML reader as config.toml (TOMLKit): all of TOML is accepted, and a
/// value of the wrong kind is the theme's error, with its line.
final class ThemeTOMLTests: XCTestCase {
    func testEveryTOMLSpellingOfATable() throws {
        let tables = try Theme.parse("[text]\nfg = \"red\"\n[title]\nfg = 1\n", file: "t.toml")
        let inline = try Theme.parse("text = { fg = \"red\" }\ntitle = { fg = 1 }\n", file: "t.toml")
        let dotted = try Theme.parse("text.fg = \"red\"\ntitle.fg = 1\n", file: "t.toml")
        XCTAssertEqual(tables.style(.title), Style(foreground: .indexed(1)))
        XCTAssertEqual(tables.style(.text), Style(foreground: .ansi(1)))
        XCTAssertEqual(inline.styles, tables.styles)
        XCTAssertEqual(dotted.styles, tables.styles)
    }

    func testOtherKindsOfValueAreTheThemesErrors() {
        let rest = "; use \"default\", a name (black..white, bright-black..bright-white), 0-255 or \"#rrggbb\""
        for (source, message) in [
            ("[text]\n\nfg = true", "t.toml:3: bad colour true for fg in [text]" + rest),
            ("[text]\nbg = 1.5", "t.toml:2: bad colour 1.5 for bg in [text]" + rest),
            ("[text]\nattrs = [\"bold\", 2]", "t.toml:2: bad attribute 2 for attrs in [text]; use bold, dim, italic, underline, reverse"),
            ("name = [\"x\"]", "t.toml:1: bad value [\"x\"] for name; expected a non-empty \"string\""),
            ("[text.more]\nfg = 1", "t.toml:1: unknown key more in [text]; expected fg, bg, attrs"),
        ] {
            XCTAssertThrowsError(try Theme.parse(source, file: "t.toml"), source) { error in
                XCTAssertEqual("\(error)", message, source)
            }
        }
    }
}
