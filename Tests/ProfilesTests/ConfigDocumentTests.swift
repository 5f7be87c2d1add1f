import ConfigFile
import XCTest

/// TOMLKit's values with the lines TOMLKit does not give.
final class ConfigDocumentTests: XCTestCase {
    func testValuesLinesAndFileOrder() throws {
        let document = try ConfigDocument.parse("""
            # top
            zeta = "a # not a comment" # a comment
            alpha = [ 'lit\\eral', "\\u00e9\\t", ]

            [ x-y_1 ]  # table
            n = -1_000
            list = [
              1,
              2, # a comment ] [ with brackets
            ]
            text = \"\"\"
            b = "not a key"
            \"\"\"
            after = true
            "quoted key" = 1.5
            dotted.inner = 3

            [[rules]]
            a = 1
            [[rules]]
            a = 2
            """)
        XCTAssertEqual(document.entries.map(\.key), ["zeta", "alpha", "x-y_1", "rules"])
        XCTAssertEqual(document["zeta"], ConfigEntry(key: "zeta", value: .string("a # not a comment"), line: 2))
        XCTAssertEqual(document["alpha"]?.value, .array([.string("lit\\eral"), .string("é\t")]))
        guard case .table(let table)? = document["x-y_1"]?.value else { return XCTFail("no table") }
        XCTAssertEqual(table.line, 5)
        XCTAssertEqual(table.entries.map(\.key), ["n", "list", "text", "after", "quoted key", "dotted"])
        XCTAssertEqual(table.entries.map(\.line), [6, 7, 11, 14, 15, 16])
        XCTAssertEqual(table["n"]?.value, .integer(-1000))
        XCTAssertEqual(table["text"]?.value, .string("b = \"not a key\"\n"))
        XCTAssertEqual(table["dotted"]?.value, .table(ConfigTable(entries: [ConfigEntry(key: "inner", value: .integer(3), line: 16)], line: 16)))
        guard case .array(let rules)? = document["rules"]?.value else { return XCTFail("no rules") }
        XCTAssertEqual(rules, [
            .table(ConfigTable(entries: [ConfigEntry(key: "a", value: .integer(1), line: 19)], line: 18)),
            .table(ConfigTable(entries: [ConfigEntry(key: "a", value: .integer(2), line: 21)], line: 20)),
        ])
    }

    func testSyntaxErrorsNameTheLineAndTheKeyOnIt() {
        for (source, line, key) in [
            ("[text]\nfg \"red\"", 2, "fg"),
            ("[text]\n\nbg = \"#000000", 3, "bg"),
            ("[text]\nfg = 1\nfg = 2", 3, "fg"),
            ("a = 99999999999999999999", 1, "a"),
            ("a = \"x\u{1}\"", 1, "a"),
        ] as [(String, Int, String?)] {
            XCTAssertThrowsError(try ConfigDocument.parse(source), source) { error in
                XCTAssertEqual((error as? ConfigSyntaxError)?.line, line, source)
                XCTAssertEqual((error as? ConfigSyntaxError)?.key, key, source)
                XCTAssertFalse((error as? ConfigSyntaxError)?.message.isEmpty ?? true, source)
            }
        }
    }
}
