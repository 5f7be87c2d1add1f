import XCTest
@testable import PayloadDecoders

final class ChainAndRuleTests: XCTestCase {
    private let json = Array(#"{"temp": 21.5, "unit": "C"}"#.utf8)

    func testInflateFormats() throws {
        XCTAssertEqual(try DecoderChain(parsing: "gzip | json").decode(Compress.gzip(json)).jsonText, #"{"temp":21.5,"unit":"C"}"#)
        XCTAssertEqual(try DecoderChain(parsing: "zlib|json").decode(Compress.deflate(json, windowBits: 15))["temp"], .double(21.5))
        XCTAssertEqual(try DecoderChain(parsing: "deflate").decode(Compress.deflate(json, windowBits: -15)), .string(String(decoding: json, as: UTF8.self)))
        // Two gzip members one after the other read as one stream, as gunzip does.
        let twice = Compress.gzip(Array("ab".utf8)) + Compress.gzip(Array("cd".utf8))
        XCTAssertEqual(try DecoderChain(parsing: "gzip | text").decode(twice), .string("abcd"))
    }

    func testBase64GzipJSONChain() throws {
        let gz = Compress.gzip(json)
        let text = Array(base64(gz).utf8)
        let value = try DecoderChain(parsing: " base64 | gzip | json ").decode(text)
        XCTAssertEqual(value["unit"], .string("C"))
    }

    func testBrokenStagesSayWhichAndWhere() {
        let gz = Compress.gzip(json)
        XCTAssertEqual(failure("gzip", Array(gz.prefix(gz.count - 6))), "gzip: truncated: the stream ends early")
        XCTAssertTrue(failure("gzip", Array("not gzip".utf8))?.hasPrefix("gzip: corrupt stream at byte") ?? false)
        XCTAssertEqual(failure("gzip", []), "gzip: empty input")
        XCTAssertEqual(failure("base64", Array("ab$d".utf8)), "base64: byte 0x24 at 2 is not base64")
        XCTAssertEqual(failure("base64 | json", Array("e30".utf8)), nil)
        XCTAssertEqual(failure("base64", Array("abcde".utf8)), "base64: truncated: a lone character at the end")
    }

    func testDecompressionBombStopsAtTheOutputLimit() {
        let bomb = Compress.gzip([UInt8](repeating: 0, count: 8 * 1024 * 1024))
        XCTAssertLessThan(bomb.count, 20_000)
        let limits = DecodeLimits(maximumOutputBytes: 1024 * 1024)
        XCTAssertThrowsError(try DecoderChain(parsing: "gzip").decode(bomb, limits: limits)) { error in
            XCTAssertEqual((error as? DecodeFailure)?.description, "gzip: output larger than 1048576 bytes (limit)")
        }
    }

    func testChainParsingErrorsNameTheDecoder() {
        XCTAssertEqual(chainError("base64 | gzp | json"), "unknown decoder 'gzp' in 'base64 | gzp | json' (known: \(PayloadDecoder.names))")
        XCTAssertEqual(chainError("json | gzip"), "'json' must be the last decoder of a chain (it does not make bytes)")
        XCTAssertEqual(chainError("gzip || json"), "an empty decoder name in 'gzip || json'")
        XCTAssertEqual(chainError(""), "an empty decoder name in ''")
    }

    func testRulePrecedenceFirstMatchInOrderThenSparkplugDefault() throws {
        let rules = try DecoderRules(rules: [
            (filter: "factory/+/telemetry", chain: "gzip | json"),
            (filter: "factory/#", chain: "cbor"),
            (filter: "spBv1.0/legacy/#", chain: "hex"),
        ])
        XCTAssertEqual(rules.chain(for: "factory/a/telemetry")?.description, "gzip | json")
        XCTAssertEqual(rules.chain(for: "factory/a/status")?.description, "cbor")
        XCTAssertEqual(rules.chain(for: "spBv1.0/legacy/NDATA/n1")?.description, "hex")
        XCTAssertEqual(rules.chain(for: "spBv1.0/plant/NDATA/n1")?.description, "sparkplugb")
        XCTAssertNil(rules.chain(for: "home/kitchen"))
        // The order decides, not how specific a filter is.
        let reversed = try DecoderRules(rules: [(filter: "factory/#", chain: "cbor"), (filter: "factory/+/telemetry", chain: "gzip | json")])
        XCTAssertEqual(reversed.chain(for: "factory/a/telemetry")?.description, "cbor")
        XCTAssertEqual(rules.choices(for: "factory/a/telemetry").map(\.description),
                       ["gzip | json", "cbor", "text", "json", "hex", "msgpack", "protobuf"])
        XCTAssertEqual(rules.choices(for: "spBv1.0/g/NDATA/n").first?.description, "sparkplugb")
    }

    func testRuleErrorsNameTheRuleAndDecoder() {
        XCTAssertThrowsError(try DecoderRules(rules: [(filter: "a/#", chain: "json"), (filter: "b/#", chain: "msgpak")])) { error in
            let rule = error as! DecoderRuleError
            XCTAssertEqual(rule.index, 1)
            XCTAssertEqual(rule.filter, "b/#")
            XCTAssertTrue(rule.message.hasPrefix("unknown decoder 'msgpak' in 'msgpak'"), rule.message)
        }
        XCTAssertThrowsError(try DecoderRules(rules: [(filter: "a/#/b", chain: "json")])) { error in
            XCTAssertTrue((error as! DecoderRuleError).message.hasPrefix("invalid topic filter 'a/#/b'"))
        }
        XCTAssertEqual(try DecoderRules.parseOption("factory/+/x=gzip | json").chain, "gzip | json")
        XCTAssertEqual(try DecoderRules.parseOption("factory/+/x=gzip | json").filter, "factory/+/x")
        XCTAssertThrowsError(try DecoderRules.parseOption("factory/#"))
    }

    func testJSONTextOfDoubles() {
        XCTAssertEqual(DecodedValue.array([.double(2), .double(0.1), .double(.nan), .double(-.infinity), .double(1e300)]).jsonText,
                       #"[2,0.1,"NaN","-Infinity",1e+300]"#)
    }

    private func failure(_ chain: String, _ input: [UInt8]) -> String? {
        do {
            _ = try DecoderChain(parsing: chain).decode(input)
            return nil
        } catch let error as DecodeFailure { return error.description } catch { return "\(error)" }
    }

    private func chainError(_ text: String) -> String? {
        do {
            _ = try DecoderChain(parsing: text)
            return nil
        } catch { return error.message }
    }

    private func base64(_ input: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        for start in stride(from: 0, to: input.count, by: 3) {
            let chunk = Array(input[start..<min(start + 3, input.count)]) + [0, 0]
            let n = Int(chunk[0]) << 16 | Int(chunk[1]) << 8 | Int(chunk[2])
            let count = min(3, input.count - start) + 1
            for index in 0..<4 { out.append(index < count ? alphabet[(n >> (18 - 6 * index)) & 63] : "=") }
        }
        return out
    }
}
