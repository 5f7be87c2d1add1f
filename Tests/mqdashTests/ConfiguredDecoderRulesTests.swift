import Foundation
import PayloadDecoders
import XCTest

@testable import mqdash

/// `--decode` options and the profiles file's `[[decoders]]`: the command line first, file errors with file and line.
final class ConfiguredDecoderRulesTests: XCTestCase {
    private var configHome: URL!

    override func setUpWithError() throws {
        configHome = FileManager.default.temporaryDirectory.appendingPathComponent("decoders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: configHome.appendingPathComponent("mqdash"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: configHome)
    }

    private func writeProfiles(_ text: String) throws -> String {
        let path = configHome.appendingPathComponent("mqdash/config.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private var environment: [String: String] { ["XDG_CONFIG_HOME": configHome.path] }

    func testTheCommandLineComesBeforeTheFile() throws {
        _ = try writeProfiles("""
            [[decoders]]
            filter = "factory/#"
            decode = "gzip | json"

            [[decoders]]
            filter = "lab/+/raw"
            decode = "cbor"
            """)
        let rules = try DecoderRules.forCommand(options: ["factory/line1/#=msgpack"], environment: environment)
        XCTAssertEqual(rules.rules.map(\.filter), ["factory/line1/#", "factory/#", "lab/+/raw"])
        XCTAssertEqual(rules.chain(for: "factory/line1/temp")?.description, "msgpack")
        XCTAssertEqual(rules.chain(for: "factory/line2/temp")?.description, "gzip | json")
        XCTAssertEqual(rules.chain(for: "lab/a/raw")?.description, "cbor")
        XCTAssertNil(rules.chain(for: "home/temp"))
    }

    func testABadChainInTheFileNamesFileAndLine() throws {
        let path = try writeProfiles("""
            [[decoders]]
            filter = "a/#"
            decode = "json"

            [[decoders]]
            filter = "b/#"
            decode = "gzip | yaml"
            """)
        XCTAssertThrowsError(try DecoderRules.forCommand(options: [], environment: environment)) { error in
            let message = (error as? ExitWithMessage)?.message ?? "\(error)"
            XCTAssertTrue(message.hasPrefix("Error: \(path):5: [[decoders]]"), message)
            XCTAssertTrue(message.contains("yaml"), message)
        }
    }

    func testWithoutAProfilesFileOnlyTheOptionsApply() throws {
        let rules = try DecoderRules.forCommand(options: ["x/#=hex"], environment: environment)
        XCTAssertEqual(rules.rules.map(\.filter), ["x/#"])
    }
}
