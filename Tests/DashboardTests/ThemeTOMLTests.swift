import XCTest

@testable import Dashboard

/// The TOML subset theme files are written in.
final class ThemeTOMLTests: XCTestCase {
    func testValuesCommentsAndLineNumbers() throws {
        let document = try TOMLDocument.parse(
            "# top\r\nname = \"a # not a comment\" # a comment\r\n\r\n[ x-y_1 ]  # table\nn = -1_000\nlist = [ 'lit\\eral', \"\\u00e9\\t\", ]\nempty = []\n")
        XCTAssertEqual(document.root, [TOMLEntry(key: "name", value: .string("a # not a comment"), line: 2)])
        XCTAssertEqual(document.tables, [
            TOMLTable(name: "x-y_1", line: 4, entries: [
                TOMLEntry(key: "n", value: .integer(-1000), line: 5),
                TOMLEntry(key: "list", value: .array([.string("lit\\eral"), .string("é\t")]), line: 6),
                TOMLEntry(key: "empty", value: .array([]), line: 7),
            ]),
        ])
    }

    func testRefusesWhatThemesDoNotUse() {
        for (source, message) in [
            ("a = true", "unsupported value true for key a; theme files use \"strings\", integers and [\"arrays\"]"),
            ("a = 0123", "unsupported value 0123 for key a; theme files use \"strings\", integers and [\"arrays\"]"),
            ("a = 1__0", "unsupported value 1__0 for key a; theme files use \"strings\", integers and [\"arrays\"]"),
            ("a = 99999999999999999999", "integer 99999999999999999999 for key a is too large"),
            ("a = \"\"\"x\"\"\"", "multi-line strings are not supported"),
            ("\"a\" = 1", "quoted keys are not supported; write the key bare"),
            ("[a.b]", "dotted table names are not supported; use [a]"),
            ("a = \"x\u{1}\"", "control character in the string for key a"),
        ] {
            XCTAssertThrowsError(try TOMLDocument.parse(source), source) { error in
                XCTAssertEqual((error as? TOMLSyntaxError)?.message, message, source)
                XCTAssertEqual((error as? TOMLSyntaxError)?.line, 1, source)
            }
        }
    }
}
