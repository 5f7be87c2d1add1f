import Foundation
@testable import MQTTBroker
import TestSupport
import XCTest

/// How `mqdash passwd` replaces a file: a temporary name that is taken is skipped, never opened.
final class FileReplacementTests: XCTestCase {
    func testTakenTemporaryNamesAreSkippedNotOpened() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("passwd", "old\n")
        let victim = try directory.write("victim", "precious\n")
        try FileManager.default.createSymbolicLink(atPath: directory.file("taken-link"), withDestinationPath: victim)
        try FileManager.default.createSymbolicLink(atPath: directory.file("taken-dangling"), withDestinationPath: directory.file("nowhere"))
        try directory.write("taken-file", "someone else's\n")

        var names = ["taken-link", "taken-dangling", "taken-file", "fresh"]
        try FileReplacement.write("new\n", to: path, temporaryName: { names.removeFirst() })

        XCTAssertEqual(names, [])
        XCTAssertEqual(try directory.read("passwd"), "new\n")
        XCTAssertEqual(try directory.read("victim"), "precious\n")
        XCTAssertEqual(try directory.read("taken-file"), "someone else's\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("nowhere")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("fresh")), "renamed into place")
    }

    func testGivesUpWhenEveryNameIsTaken() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = try directory.write("passwd", "old\n")
        try directory.write("taken", "someone else's\n")
        var calls = 0
        XCTAssertThrowsError(try FileReplacement.write("new\n", to: path, temporaryName: { calls += 1; return "taken" })) { error in
            XCTAssertTrue("\(error)".contains("No free temporary file name"), "\(error)")
        }
        XCTAssertEqual(calls, FileReplacement.attempts)
        XCTAssertEqual(try directory.read("passwd"), "old\n")
        XCTAssertEqual(try directory.read("taken"), "someone else's\n")
    }

    func testRandomNamesAreHiddenAndDiffer() {
        let first = FileReplacement.randomName(for: "/etc/mosquitto/passwd")
        XCTAssertTrue(first.hasPrefix(".passwd."), first)
        XCTAssertEqual(first.count, ".passwd.".count + 12)
        XCTAssertNotEqual(first, FileReplacement.randomName(for: "/etc/mosquitto/passwd"))
    }

    /// A symbolic link at the password file's path is replaced, not followed: a folder writable
    /// by someone else cannot turn an edit into a write to another file.
    func testALinkAtThePathIsReplacedNotFollowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let victim = try directory.write("victim", "precious\n")
        let path = directory.file("passwd")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        try FileReplacement.write("new\n", to: path)
        XCTAssertEqual(try directory.read("victim"), "precious\n")
        XCTAssertEqual(try directory.read("passwd"), "new\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual(attributes[.type] as? FileAttributeType, .typeRegular)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    /// `mqdash passwd -c -b y iot pw`: a one-character name with no folder once trapped (SIGILL) in
    /// Foundation's path splitting; it is written in the current folder.
    func testABareOneCharacterNameIsWrittenInTheCurrentFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(directory.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        try FileReplacement.write("new\n", to: "y")
        XCTAssertEqual(try directory.read("y"), "new\n")
        XCTAssertTrue(FileReplacement.randomName(for: "y").hasPrefix(".y."))
    }

    func testPathsSplitOnTheLastSlash() {
        XCTAssertTrue(FileReplacement.split("y") == (".", "y"))
        XCTAssertTrue(FileReplacement.split("/y") == ("/", "y"))
        XCTAssertTrue(FileReplacement.split("a/y") == ("a", "y"))
        XCTAssertTrue(FileReplacement.split("/etc/mosquitto/passwd") == ("/etc/mosquitto", "passwd"))
    }
}
