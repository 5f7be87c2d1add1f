import XCTest

@testable import Dashboard

final class NumericValueTests: XCTestCase {
    func testPlainPayloads() {
        let table: [(String, Double?)] = [
            ("24.1", 24.1), ("-3", -3), ("21.5 °C", 21.5), ("1e3", 1000), (" 42 \n", 42), ("+7", 7), (".5", 0.5),
            ("55%", 55), ("1013 hPa", 1013), ("-2.5E-1", -0.25), ("0", 0),
            ("abc", nil), ("", nil), ("12:30", nil), ("1.2.3", nil), ("-", nil), ("v2", nil), ("24 °C 5", nil),
            ("1e999", nil), ("ON", nil),
        ]
        for (payload, expected) in table {
            XCTAssertEqual(NumericValue.extract(from: Array(payload.utf8)), expected, payload)
        }
    }

    func testJSONFieldPaths() {
        let table: [(String, String, Double?)] = [
            (#"{"temp":21.5}"#, "temp", 21.5),
            (#"{"sensor":{"temp":-4}}"#, "sensor.temp", -4),
            (#"{"values":[1,2,3]}"#, "values[1]", 2),
            (#"{"a":[{"b":5}]}"#, "a[0].b", 5),
            (#"[10,[20,30]]"#, "[1][0]", 20),
            (#"{"t":"21.5 °C"}"#, "t", 21.5),
            (#"{"on":true,"off":false}"#, "on", 1),
            (#"{"on":true,"off":false}"#, "off", 0),
            (#"{"skip":{"deep":[1,{"temp":2}]},"temp":9}"#, "temp", 9),
            (#"{"k\u0065y":3}"#, "key", 3),
            (#"{"temp":"x"}"#, "temp", nil),
            (#"{"temp":null}"#, "temp", nil),
            (#"{"other":1}"#, "temp", nil),
            (#"{"values":[1]}"#, "values[3]", nil),
            ("24.1", "temp", nil),
            (#"{"temp":21.5}"#, "temp..x", nil),
        ]
        for (payload, field, expected) in table {
            XCTAssertEqual(NumericValue.extract(from: Array(payload.utf8), field: field), expected, "\(payload) \(field)")
        }
    }

    func testFieldPathParsing() {
        XCTAssertEqual(FieldPath("a.b[2][0].c")?.components, [.key("a"), .key("b"), .index(2), .index(0), .key("c")])
        XCTAssertNil(FieldPath("a[x]"))
        XCTAssertNil(FieldPath(".a"))
    }
}
