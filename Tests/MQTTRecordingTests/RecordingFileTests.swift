import Foundation
import MQTTCore
import TestSupport
import XCTest

@testable import MQTTRecording

final class RecordingFileTests: TemporaryDirectoryTestCase {
    private func messages(_ count: Int) -> [RecordedMessage] {
        (0..<count).map { (index: Int) -> RecordedMessage in
            let time = RecordTimestamp(microsecondsSince1970: 1_796_289_120_000_000 + Int64(index) * 1500)
            let payload: [UInt8] = index % 3 == 0 ? [0xFF, UInt8(index % 256)] : Array("value \(index)".utf8)
            let properties: [RecordedMessage.UserProperty] = index % 4 == 0 ? [.init("n", "\(index)")] : []
            return RecordedMessage(
                time: time, topic: "t/\(index % 7)", payload: payload, qos: UInt8(index % 3), retain: index % 5 == 0,
                userProperties: properties)
        }
    }

    private func write(_ messages: [RecordedMessage], to file: String) throws {
        let writer = try RecordingWriter(path: file)
        try writer.write(RecordingHeader(broker: "mqtt://127.0.0.1:1883", filters: ["#"], start: messages.first?.time, tool: "test"))
        for message in messages { try writer.write(message) }
        try writer.close()
    }

    private func readAll(_ file: String) throws -> (RecordingReader, [(Int, RecordedMessage)]) {
        let reader = try RecordingReader(path: file)
        var read: [(Int, RecordedMessage)] = []
        while let next = reader.next() { read.append((next.lineNumber, next.message)) }
        return (reader, read)
    }

    func testPlainAndGzipFilesRoundTripAcrossChunkBoundaries() throws {
        // Enough lines to cross the reader's 256 KiB chunks several times.
        let original = messages(8000)
        for name in ["plain.jsonl", "packed.jsonl.gz"] {
            let file = path(name)
            try write(original, to: file)
            let (reader, read) = try readAll(file)
            XCTAssertEqual(read.map(\.1), original, name)
            XCTAssertEqual(read.first?.0, 2, "line 1 is the header")
            XCTAssertEqual(reader.header?.filters, ["#"])
            XCTAssertEqual(reader.skippedCount, 0)
            XCTAssertNil(reader.readError)
        }
        let plainSize = try FileManager.default.attributesOfItem(atPath: path("plain.jsonl"))[.size] as! Int
        let gzipSize = try FileManager.default.attributesOfItem(atPath: path("packed.jsonl.gz"))[.size] as! Int
        XCTAssertLessThan(gzipSize * 4, plainSize, "the .gz file is compressed")
        let magic = try FileHandle(forReadingFrom: URL(fileURLWithPath: path("packed.jsonl.gz"))).read(upToCount: 2)
        XCTAssertEqual(magic.map(Array.init), [0x1F, 0x8B])
    }

    func testCorruptAndTruncatedLinesAreSkippedWithTheirNumbers() throws {
        let good = RecordLineEncoder.line(for: messages(1)[0])
        var bytes: [UInt8] = []
        bytes += good                                   // line 1
        bytes += Array("garbage\n".utf8)                // line 2
        bytes += Array("\n".utf8)                       // line 3: blank, not an error
        bytes += good                                   // line 4
        bytes += Array(good.prefix(30))                 // line 5: cut off by a kill, no newline
        try Data(bytes).write(to: URL(fileURLWithPath: path("bad.jsonl")))
        let (reader, read) = try readAll(path("bad.jsonl"))
        XCTAssertEqual(read.map(\.0), [1, 4])
        XCTAssertEqual(reader.skippedCount, 2)
        XCTAssertEqual(reader.skipped.map(\.lineNumber), [2, 5])
        XCTAssertTrue(reader.skipped[1].reason.contains("cut off"), reader.skipped[1].reason)
    }

    func testAGzipFileCutShortKeepsWhatCameBeforeAndSaysSo() throws {
        let original = messages(5000)
        try write(original, to: path("whole.jsonl.gz"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("whole.jsonl.gz")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("half.jsonl.gz")))
        let (reader, read) = try readAll(path("half.jsonl.gz"))
        XCTAssertGreaterThan(read.count, 100)
        XCTAssertEqual(read.map(\.1), Array(original.prefix(read.count)), "nothing wrong is read")
        XCTAssertNotNil(reader.readError)
    }

    func testAGzipWriterFlushesSoAKilledRecorderLeavesReadableLines() throws {
        let file = path("live.jsonl.gz")
        let writer = try RecordingWriter(path: file)
        for message in messages(10) { try writer.write(message) }
        try writer.flush()
        // No close: the process "dies" here. What was flushed must be readable.
        let (_, read) = try readAll(file)
        XCTAssertEqual(read.count, 10)
        try writer.close()
    }

    func testOverlongLinesAreSkippedWithoutBufferingThem() throws {
        let good = RecordLineEncoder.line(for: messages(1)[0])
        let bytes = good + [UInt8](repeating: UInt8(ascii: "x"), count: 600_000) + [0x0A] + good
        try Data(bytes).write(to: URL(fileURLWithPath: path("long.jsonl")))
        let reader = try RecordingReader(path: path("long.jsonl"), maximumLineLength: 1000)
        var lines: [Int] = []
        while let next = reader.next() { lines.append(next.lineNumber) }
        XCTAssertEqual(lines, [1, 3])
        XCTAssertEqual(reader.skipped.map(\.lineNumber), [2])
    }

    func testMissingFileAndDirectoryAreClearErrors() {
        XCTAssertThrowsError(try RecordingReader(path: path("nope.jsonl"))) { error in
            XCTAssertTrue("\(error)".contains("nope.jsonl: No such file"), "\(error)")
        }
        XCTAssertThrowsError(try RecordingReader(path: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
        XCTAssertThrowsError(try RecordingWriter(path: path("no/such/dir/x.jsonl")))
    }

    /// /dev/full fails every write with ENOSPC: the writer says the disk is full.
    func testAFullDiskIsReportedAsSuch() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let writer = try RecordingWriter(path: "/dev/full")
        XCTAssertThrowsError(try writer.write(messages(1)[0])) { error in
            XCTAssertEqual((error as? RecordingFileError)?.kind, .diskFull)
            XCTAssertTrue("\(error)".contains("complete up to its last line"), "\(error)")
        }
    }

    /// A line cut by a size limit half-way is taken back, and the next line that fits goes right after the last
    /// complete one (not past the cut, which would leave a hole of zero bytes in the file).
    func testALineThatDoesNotFitIsTakenBackAndTheNextOneFollowsDirectly() throws {
        let file = path("limited.jsonl")
        let writer = try RecordingWriter(path: file)
        try writer.write(line: Array("{\"first\":1}\n".utf8))
        // RLIMIT_FSIZE makes write(2) stop at the limit like a full disk; SIGXFSZ would otherwise end the process.
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = saved
        limit.rlim_cur = 100
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try writer.write(line: Array(repeating: UInt8(ascii: "x"), count: 200) + [10])) { error in
            XCTAssertEqual((error as? RecordingFileError)?.kind, .diskFull, "\(error)")
        }
        try writer.write(line: Array("{\"second\":2}\n".utf8))
        try writer.close()
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "{\"first\":1}\n{\"second\":2}\n")
    }
}
