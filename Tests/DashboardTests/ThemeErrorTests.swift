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

    /// Syntax errors are TOMLKit's words, with the line and the key written on it.
    func testSyntaxErrors() {
        let cases: [(source: String, message: String, key: String?)] = [
            ("[text]\nfg \"red\"", "t.toml:2: syntax error: error while parsing key-value pair: expected '=', saw '\"'", "fg"),
            ("[text\nfg = 1", "t.toml:1: syntax error: error while parsing table header: expected ']', saw '\\n'", "text"),
            ("[text]\nfg = red", "t.toml:2: syntax error: error while parsing value: could not determine value type", "fg"),
            ("[text]\n\nbg = \"#000000", "t.toml:3: syntax error: error while parsing string: encountered end-of-file", "bg"),
            ("[text]\nfg = \"red\" bg = \"blue\"", "t.toml:2: syntax error: error while parsing key-value pair: expected a comment or whitespace, saw 'b'", "fg"),
            ("[text]\nfg = 1\nfg = 2", "t.toml:3: syntax error: error while parsing key-value pair: cannot redefine existing integer 'fg'", "fg"),
            ("[text]\n[dim]\n[text]", "t.toml:3: syntax error: error while parsing table header: cannot redefine existing table 'text'", "text"),
            ("[text]\nattrs = [\"bold\"", "t.toml:2: syntax error: error while parsing array: encountered end-of-file", "attrs"),
            ("[text]\nattrs = [\"bold\" \"dim\"]", "t.toml:2: syntax error: error while parsing array: expected comma or closing ']', saw '\"'", "attrs"),
            ("[text]\nfg =", "t.toml:2: syntax error: error while parsing key-value pair: encountered end-of-file", "fg"),
            // Full TOML is read now: what the old subset refused is a theme error where it means nothing to a theme.
            ("[text]\nfg = 1.5", "t.toml:2: bad colour 1.5 for fg in [text]; use \"default\", a name (black..white, bright-black..bright-white), 0-255 or \"#rrggbb\"", "fg"),
            ("[text]\ntext.fg = 1", "t.toml:2: unknown key text in [text]; expected fg, bg, attrs", "text"),
            ("[[text]]", "t.toml:1: unknown key text; expected name", "text"),
        ]
        for (source, message, key) in cases {
            let error = error(source)
            XCTAssertEqual(error?.description, message, source)
            XCTAssertEqual(error?.key, key, source)
        }
        // Escapes and keys without a name are refused with the line.
        XCTAssertEqual(error("x = 1\ny = \"a\\qb\"")?.line, 2)
        XCTAssertEqual(error("\n= 1")?.line, 2)
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
