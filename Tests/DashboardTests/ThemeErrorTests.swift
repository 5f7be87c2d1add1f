import Foundation
import XCTest

@testable import Dashboard

/// Every way a theme can be wrong gives one line naming the file, the line and the key.
final class ThemeErrorTests: XCTestCase {
    private func error(_ source: String, file: String = "t.toml", line: UInt = #line) -> ThemeError? {
        do {
            _ = try Theme.parse(source, file: file)
            XCTFail("parsed without an error", line: line)
            return nil
        } catch {
            return error
        }
    }

    func testUnknownRole() {
        let error = error("""
            name = "x"
            [text]
            fg = "red"
            [statusbar]
            fg = "blue"
            """)
        XCTAssertEqual(error?.line, 4)
        XCTAssertEqual(error?.key, "statusbar")
        XCTAssertEqual(error?.description, "t.toml:4: unknown role [statusbar]; roles are "
            + "text, dim, border, title, selection, retained, flash, status_bar, status_connected, status_problem, "
            + "json_key, json_string, json_number, json_literal, hex, plot, search_match, form_label, form_field, "
            + "form_focus, error, help")
    }

    func testUnknownKeyInTableAndAtTop() {
        XCTAssertEqual(error("[text]\nfg = \"red\"\n\n[selection]\nfg = \"black\"\ncolour = \"red\"\n")?.description,
                       "t.toml:6: unknown key colour in [selection]; expected fg, bg, attrs")
        let top = error("# a comment\nnme = \"x\"\n")
        XCTAssertEqual(top?.description, "t.toml:2: unknown key nme; expected name")
        XCTAssertEqual(top?.key, "nme")
        XCTAssertNil(top?.table)
    }

    func testBadColours() {
        let rest = "; use \"default\", a name (black..white, bright-black..bright-white), 0-255 or \"#rrggbb\""
        XCTAssertEqual(error("[text]\nfg = \"red\"\nbg = \"#5fafd\"")?.description, "t.toml:3: bad colour \"#5fafd\" for bg in [text]" + rest)
        XCTAssertEqual(error("[title]\n\n\nfg = 256")?.description, "t.toml:4: bad colour 256 for fg in [title]" + rest)
        XCTAssertEqual(error("[title]\nfg = \"purple\"")?.description, "t.toml:2: bad colour \"purple\" for fg in [title]" + rest)
        XCTAssertEqual(error("[title]\nfg = \"bright-\"")?.description, "t.toml:2: bad colour \"bright-\" for fg in [title]" + rest)
        XCTAssertEqual(error("[title]\nbg = [\"red\"]")?.description, "t.toml:2: bad colour [\"red\"] for bg in [title]" + rest)
        let error = error("[hex]\nfg = -1")
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.key, "fg")
        XCTAssertEqual(error?.table, "hex")
        XCTAssertEqual(error?.kind, .badColor(value: "-1"))
    }

    func testBadAttributes() {
        XCTAssertEqual(error("[title]\nfg = 75\nattrs = [\"bold\", \"blink\"]")?.description,
                       "t.toml:3: bad attribute \"blink\" for attrs in [title]; use bold, dim, italic, underline, reverse")
        XCTAssertEqual(error("[title]\nattrs = [1]")?.description,
                       "t.toml:2: bad attribute 1 for attrs in [title]; use bold, dim, italic, underline, reverse")
        XCTAssertEqual(error("[title]\nattrs = \"bold\"")?.description,
                       "t.toml:2: bad value \"bold\" for attrs in [title]; expected an array such as [\"bold\", \"underline\"]")
        XCTAssertEqual(error("name = 3")?.description, "t.toml:1: bad value 3 for name; expected a non-empty \"string\"")
    }

    func testSyntaxErrors() {
        let cases: [(source: String, message: String, key: String?)] = [
            ("[text]\nfg \"red\"", "t.toml:2: syntax error: expected \"=\" after key fg", "fg"),
            ("[text\nfg = 1", "t.toml:1: syntax error: a table header is [name] with letters, digits, _ or -", nil),
            ("[text]\nfg = red", "t.toml:2: syntax error: unsupported value red for key fg; theme files use \"strings\", integers and [\"arrays\"]", "fg"),
            ("[text]\nfg = 1.5", "t.toml:2: syntax error: unsupported value 1.5 for key fg; theme files use \"strings\", integers and [\"arrays\"]", "fg"),
            ("[text]\n\nbg = \"#000000", "t.toml:3: syntax error: unterminated string for key bg", "bg"),
            ("[text]\nfg = \"red\" bg = \"blue\"", "t.toml:2: syntax error: unexpected \"bg = \"blue\"\" after fg", "fg"),
            ("[text]\nfg = 1\nfg = 2", "t.toml:3: syntax error: key fg is set twice (first on line 2)", "fg"),
            ("[text]\n[dim]\n[text]", "t.toml:3: syntax error: table [text] appears twice (first on line 1)", "text"),
            ("[text]\nattrs = [\"bold\"", "t.toml:2: syntax error: the array for key attrs must close with ] on the same line", "attrs"),
            ("[text]\nattrs = [\"bold\" \"dim\"]", "t.toml:2: syntax error: expected , or ] in the array for key attrs, found \"\"dim\"]\"", "attrs"),
            ("[text]\nfg =", "t.toml:2: syntax error: key fg has no value", "fg"),
            ("[text]\ntext.fg = 1", "t.toml:2: syntax error: dotted keys are not supported", "text"),
            ("[[text]]", "t.toml:1: syntax error: arrays of tables ([[...]]) are not supported in theme files", nil),
            ("x = \"a\\qb\"", "t.toml:1: syntax error: unknown escape \\q in the string for key x", "x"),
            ("= 1", "t.toml:1: syntax error: expected \"key = value\", found \"= 1\"", nil),
        ]
        for (source, message, key) in cases {
            let error = error(source)
            XCTAssertEqual(error?.description, message, source)
            XCTAssertEqual(error?.key, key, source)
        }
    }

    func testUnknownThemeListsTheAvailableOnes() {
        XCTAssertThrowsError(try Theme.load(nameOrPath: "nope", searchDirectories: ["/nonexistent"])) { error in
            XCTAssertEqual("\(error)", "unknown theme \"nope\"; available: default, high-contrast, light, mono, solarized-dark")
        }
    }

    func testFileErrorsNameThePath() throws {
        XCTAssertThrowsError(try Theme.load(nameOrPath: "/nonexistent/mine.toml", searchDirectories: [])) { error in
            XCTAssertEqual("\(error)", "/nonexistent/mine.toml: cannot read theme file: no such file")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqdash-bad-\(UUID().uuidString).toml").path
        try "name = \"bad\"\n\n[border]\nfg = \"grey\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try Theme.load(nameOrPath: path, searchDirectories: [])) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ":4: bad colour \"grey\" for fg in [border]"), "\(error)")
        }
    }
}
