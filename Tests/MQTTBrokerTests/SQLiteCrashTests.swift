import Foundation
import MQTTBroker
import TestSupport
import XCTest

/// A real crash: a child process (`store-bench crash-child`) enqueues messages and reports each
/// one `whenDurable` confirmed; the test kills it with SIGKILL mid-stream and checks that every
/// confirmed message is in the database the next broker start would load.
final class SQLiteCrashTests: XCTestCase {
    func testEveryConfirmedMessageSurvivesKill9() throws {
        for sync in ["normal", "full"] {
            try killAndCheck(sync: sync)
        }
    }

    private func killAndCheck(sync: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("crash.sqlite")
        let process = Process()
        process.executableURL = try childExecutable()
        process.arguments = ["crash-child", path, sync]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()

        // Read confirmations until a few thousand are in, then kill without warning.
        var text = ""
        let deadline = Date(timeIntervalSinceNow: 20)
        while lastConfirmed(in: text) < 3000 && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Lines written before the kill count as acknowledged too.
        text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "\(sync): the child died of SIGKILL, not on its own")
        let confirmed = lastConfirmed(in: text)
        XCTAssertGreaterThanOrEqual(confirmed, 3000, "\(sync): the child confirmed enough messages before the kill")

        let store = try SQLiteBrokerStore(path: path)
        defer { store.close() }
        let session = try XCTUnwrap(try store.load().sessions.first { $0.clientID == "crash" }, sync)
        let sequences = session.outgoing.map(\.sequence)
        // Everything confirmed is there, in order; more may be (committed, callback not yet printed).
        XCTAssertGreaterThan(sequences.count, confirmed, sync)
        XCTAssertEqual(sequences, (0..<Int64(sequences.count)).map { $0 }, "\(sync): no gaps")
        XCTAssertEqual(session.outgoing.last?.message.topic, "crash/\(sequences.count - 1)", sync)
    }

    /// The highest sequence on a complete line, -1 before the first.
    private func lastConfirmed(in text: String) -> Int {
        guard let end = text.lastIndex(of: "\n") else { return -1 }
        let complete = text[..<end]
        let line = complete.split(separator: "\n").last ?? ""
        return Int(line) ?? -1
    }

    /// store-bench sits beside the test bundle in the build folder (`swift build --build-tests`
    /// builds every product).
    private func childExecutable() throws -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("store-bench")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        XCTFail("store-bench not found next to \(CommandLine.arguments[0]); build it with `swift build --build-tests`")
        throw XCTSkip("no store-bench")
    }
}
