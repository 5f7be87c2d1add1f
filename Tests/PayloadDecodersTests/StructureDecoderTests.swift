import XCTest
@testable import PayloadDecoders

final class StructureDecoderTests: XCTestCase {
    private func decode(_ name: PayloadDecoder, _ input: [UInt8], limits: DecodeLimits = .standard) throws -> DecodedValue {
        try DecoderChain.single(name).decode(input, limits: limits)
    }

    private func failure(_ name: PayloadDecoder, _ input: [UInt8], limits: DecodeLimits = .standard) -> DecodeFailure? {
        do {
            _ = try DecoderChain.single(name).decode(input, limits: limits)
            return nil
        } catch { return error }
    }

    // MARK: msgpack (vectors from the msgpack spec's formats)

    func testMessagePackMapOfEveryScalar() throws {
        // {"compact": true, "schema": 0} as in msgpack.org's front page, plus negative fixint, int16, float64, nil, bin.
        let value = try decode(.msgpack, bytes("82 a7 636f6d70616374 c3 a6 736368656d61 00"))
        XCTAssertEqual(value.jsonText, #"{"compact":true,"schema":0}"#)
        let scalars = try decode(.msgpack, bytes("96 ff d1 fc18 cb 3ff8000000000000 c0 c4 02 0102 cf ffffffffffffffff"))
        XCTAssertEqual(scalars.jsonText, #"[-1,-1000,1.5,null,"0x0102",18446744073709551615]"#)
    }

    func testMessagePackNonStringKeysAndExtensions() throws {
        XCTAssertEqual(try decode(.msgpack, bytes("81 01 a1 78")).jsonText, #"{"1":"x"}"#)
        XCTAssertEqual(try decode(.msgpack, bytes("d4 05 2a")).jsonText, #"{"ext":5,"data":"0x2a"}"#)
    }

    func testMessagePackTruncatedAndLyingLengthsAreErrors() {
        XCTAssertEqual(failure(.msgpack, bytes("a5 6869"))?.description, "msgpack: truncated at byte 1 (5 more bytes needed, 2 left)")
        // An array claiming 2^32-1 elements in 5 bytes: refused before anything is reserved.
        XCTAssertNotNil(failure(.msgpack, bytes("dd ffffffff")))
        XCTAssertEqual(failure(.msgpack, bytes("c1"))?.description, "msgpack: byte 0xc1 at 0 is not a msgpack type (never used)")
        XCTAssertEqual(failure(.msgpack, bytes("01 02"))?.description, "msgpack: 1 bytes left after the value at byte 1")
    }

    // MARK: CBOR (RFC 8949 appendix A)

    func testCBORAppendixAVectors() throws {
        let vectors: [(String, String)] = [
            ("00", "0"), ("1903e8", "1000"), ("3903e7", "-1000"), ("1bffffffffffffffff", "18446744073709551615"),
            ("f93c00", "1"), ("f9c400", "-4"), ("fa47c35000", "100000"), ("fb3ff199999999999a", "1.1"),
            ("f97c00", #""Infinity""#), ("f4", "false"), ("f5", "true"), ("f6", "null"),
            ("4401020304", #""0x01020304""#), ("6449455446", #""IETF""#), ("83010203", "[1,2,3]"),
            ("a201020304", #"{"1":2,"3":4}"#), ("a26161016162820203", #"{"a":1,"b":[2,3]}"#),
            ("5f42010243030405ff", #""0x0102030405""#), ("7f657374726561646d696e67ff", #""streaming""#),
            ("9f018202039f0405ffff", "[1,[2,3],[4,5]]"), ("bf61610161629f0203ffff", #"{"a":1,"b":[2,3]}"#),
            ("c074323031332d30332d32315432303a30343a30305a", #""2013-03-21T20:04:00Z""#),
            ("d82076687474703a2f2f7777772e6578616d706c652e636f6d", #"{"tag":32,"value":"http://www.example.com"}"#),
        ]
        for (hex, json) in vectors {
            XCTAssertEqual(try decode(.cbor, bytes(hex)).jsonText, json, hex)
        }
    }

    func testCBORMalformed() {
        XCTAssertEqual(failure(.cbor, bytes("1c"))?.description, "cbor: reserved additional information 28 at byte 0")
        XCTAssertEqual(failure(.cbor, bytes("83 01 02"))?.description, "cbor: truncated at byte 1 (3 more bytes needed, 2 left)")
        XCTAssertNotNil(failure(.cbor, bytes("9b ffffffffffffffff")))
        XCTAssertNotNil(failure(.cbor, bytes("62 ff fe")))  // text that is not UTF-8
        XCTAssertNotNil(failure(.cbor, bytes("ff")))
    }

    // MARK: protobuf, schema-less

    func testProtobufWireTypesAndNestedMessage() throws {
        // field 1 varint 150; field 2 "testing"; field 3 nested {1: 150}; field 4 fixed32; field 5 fixed64;
        // field 6 twice (repeated); field 7 bytes that are neither a message nor UTF-8.
        let input = bytes("08 9601 12 07 74657374696e67 1a 03 089601 25 01000000 29 0200000000000000 30 01 30 02 3a 02 ff07")
        XCTAssertEqual(try decode(.protobuf, input).jsonText,
                       #"{"1":150,"2":"testing","3":{"1":150},"4":1,"5":2,"6":[1,2],"7":"0xff07"}"#)
    }

    func testProtobufGroupsAndErrors() throws {
        XCTAssertEqual(try decode(.protobuf, bytes("0b 08 01 0c")).jsonText, #"{"1":{"1":1}}"#)
        XCTAssertEqual(failure(.protobuf, bytes("0f"))?.description, "protobuf: wire type 7 at byte 0 does not exist")
        XCTAssertEqual(failure(.protobuf, bytes("0a 05 01"))?.description, "protobuf: truncated at byte 2 (5 more bytes needed, 1 left)")
        XCTAssertEqual(failure(.protobuf, bytes("08 ffffffffffffffffffff01"))?.description, "protobuf: varint at byte 1 overflows 64 bits")
        XCTAssertEqual(failure(.protobuf, bytes("0b 08 01"))?.description, "protobuf: group 1 is not closed")
    }

    // MARK: json, text, hex

    func testJSONKeepsIntegersExactAndOrder() throws {
        XCTAssertEqual(try decode(.json, Array(#" {"b": 9007199254740993, "a": [1.5, "\u00e9\n", null, false]} "#.utf8)).jsonText,
                       #"{"b":9007199254740993,"a":[1.5,"é\n",null,false]}"#)
        XCTAssertEqual(failure(.json, Array(#"{"a": 1"#.utf8))?.description, "json: truncated: the input ends inside a value")
        XCTAssertEqual(failure(.json, Array("[1] 2".utf8))?.description, "json: unexpected text after the value at byte 4")
    }

    func testTextAndHex() throws {
        XCTAssertEqual(try decode(.text, Array("héllo".utf8)), .string("héllo"))
        XCTAssertEqual(failure(.text, [0x61, 0x62, 0xFF])?.description, "text: not UTF-8 (first bad byte at 2)")
        XCTAssertEqual(try decode(.hex, [0x00, 0xFF]).jsonText, #""0x00ff""#)
        // Control characters never leave the JSON text raw.
        XCTAssertEqual(try decode(.text, [0x1B, 0x5B, 0x32, 0x4A]).jsonText, #""\u001b[2J""#)
    }

    // MARK: limits

    func testDeepNestingHitsTheDepthLimit() {
        let deepMsgpack = [UInt8](repeating: 0x91, count: 10_000) + [0x00]
        XCTAssertEqual(failure(.msgpack, deepMsgpack)?.description, "msgpack: nested deeper than 64 levels (limit)")
        let deepCBOR = [UInt8](repeating: 0x81, count: 10_000) + [0x00]
        XCTAssertEqual(failure(.cbor, deepCBOR)?.description, "cbor: nested deeper than 64 levels (limit)")
        let deepJSON = Array(String(repeating: "[", count: 10_000).utf8)
        XCTAssertEqual(failure(.json, deepJSON)?.description, "json: nested deeper than 64 levels (limit)")
        // protobuf nests by guessing: past the limit the inner bytes stay bytes, still no crash.
        var message: [UInt8] = [0x08, 0x01]
        for _ in 0..<200 { message = [0x0A, UInt8(message.count)] + message; if message.count > 120 { break } }
        XCTAssertNoThrow(try decode(.protobuf, message, limits: DecodeLimits(maximumDepth: 3)))
    }

    func testValueCountLimit() {
        let many = bytes("dc 0400") + [UInt8](repeating: 0x01, count: 1024)
        XCTAssertEqual(failure(.msgpack, many, limits: DecodeLimits(maximumValues: 100))?.description, "msgpack: more than 100 values (limit)")
    }
}

extension StructureDecoderTests {
    /// Found by decoder-fuzz: maps used as keys of maps, 27 levels, made key texts grow with each level's escaping.
    func testNestedMapKeysStayCheap() throws {
        let input = [UInt8](repeating: 0x81, count: 40) + [0x01, 0x02] + [UInt8](repeating: 0x03, count: 40)
        let start = ContinuousClock.now
        _ = try? DecoderChain.single(.msgpack).decode(input)
        let cbor = [UInt8](repeating: 0xA1, count: 40) + [0x01, 0x02] + [UInt8](repeating: 0x03, count: 40)
        _ = try? DecoderChain.single(.cbor).decode(cbor)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        XCTAssertEqual(try DecoderChain.single(.msgpack).decode([0x81, 0x81, 0x01, 0x02, 0x03]).jsonText, #"{"{\"1\":2}":3}"#)
    }
}
