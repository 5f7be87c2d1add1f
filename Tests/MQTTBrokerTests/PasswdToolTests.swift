import Foundation
import MQTTBroker
import TestSupport
import XCTest

/// `mqdash passwd`'s behaviour, driven through `PasswdTool` with captured input and output.
final class PasswdToolTests: XCTestCase {
    final class Capture {
        var out = ""
        var err = ""
        var input: [String]

        init(input: [String] = []) { self.input = input }

        var io: PasswdTool.IO {
            PasswdTool.IO(
                out: { self.out += $0 },
                err: { self.err += $0 },
                readPassword: { self.input.isEmpty ? nil : self.input.removeFirst() })
        }
    }

    func run(_ arguments: [String], input: [String] = []) -> (Int32, Capture) {
        let capture = Capture(input: input)
        let code = PasswdTool(io: capture.io).run(arguments)
        return (code, capture)
    }

    func permissions(_ path: String) throws -> Int {
        try XCTUnwrap((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    func testCreateAddUpdateDelete() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("passwd")

        var (code, io) = run(["-c", "-b", path, "iot", "secret"])
        XCTAssertEqual(code, 0)
        XCTAssertEqual(io.out + io.err, "")
        XCTAssertEqual(try permissions(path), 0o600)
        XCTAssertTrue(try PasswordFile.load(path: path).verify(username: "iot", password: "secret"))

        (code, io) = run(["-b", path, "bob", "builder"])
        XCTAssertEqual(code, 0)
        (code, io) = run(["-b", path, "iot", "newer"])
        XCTAssertEqual(code, 0)
        var file = try PasswordFile.load(path: path)
        XCTAssertEqual(file.usernames, ["iot", "bob"])
        XCTAssertTrue(file.verify(username: "iot", password: "newer"))
        XCTAssertTrue(file.verify(username: "bob", password: "builder"))

        (code, io) = run(["-H", "sha512", "-b", path, "old", "legacy"])
        XCTAssertEqual(code, 0)
        XCTAssertTrue(try directory.read("passwd").contains("old:$6$"))

        (code, io) = run(["-D", path, "bob"])
        XCTAssertEqual(code, 0)
        file = try PasswordFile.load(path: path)
        XCTAssertEqual(file.usernames, ["iot", "old"])

        (code, io) = run(["-D", path, "bob"])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(io.err, "Warning: User bob not found in password file.\n")

        // -c overwrites.
        (code, io) = run(["-c", "-b", path, "only", "one"])
        XCTAssertEqual(code, 0)
        XCTAssertEqual(try PasswordFile.load(path: path).usernames, ["only"])
    }

    func testPromptsTwiceAndChecksTheAnswers() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("passwd")

        var (code, io) = run(["-c", path, "iot"], input: ["s3cret", "s3cret"])
        XCTAssertEqual(code, 0)
        XCTAssertEqual(io.out, "Password: \nReenter password: \n")
        XCTAssertTrue(try PasswordFile.load(path: path).verify(username: "iot", password: "s3cret"))

        (code, io) = run([path, "iot"], input: ["abc", "abd"])
        XCTAssertEqual(code, 2)
        XCTAssertEqual(io.err, "Error: Passwords do not match.\n")
        XCTAssertTrue(try PasswordFile.load(path: path).verify(username: "iot", password: "s3cret"), "unchanged")

        (code, io) = run([path, "iot"], input: [""])
        XCTAssertEqual(code, 1)
        XCTAssertEqual(io.out, "Password: ")
        XCTAssertEqual(io.err, "Error: Empty password.\n")

        (code, io) = run([path, "iot"], input: ["abc"])  // end of input at the second prompt
        XCTAssertEqual(code, 1)
        XCTAssertEqual(io.err, "Error: Empty password.\n")

        // A mismatch with -c does not create the file.
        (code, io) = run(["-c", directory.file("new"), "iot"], input: ["a", "b"])
        XCTAssertEqual(code, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("new")))
    }

    func testArgumentErrorsLikeMosquittoPasswd() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("passwd")
        let cases: [([String], Int32, String, String)] = [
            (["-c", "-D", path, "a"], 1, "", "Error: -c and -D cannot be used together.\n"),
            (["-c", "-U", path], 1, "", "Error: -c and -U cannot be used together.\n"),
            (["-D", "-b", path, "a", "b"], 1, "", "Error: -b and -D cannot be used together.\n"),
            (["-D", path], 1, "", "Error: -D argument given but password file or username missing.\n"),
            (["-U"], 1, "", "Error: -U argument given but password file missing.\n"),
            (["-H"], 1, "", "Error: -H argument given but not enough other arguments.\n"),
            (["-H", "md5", "-b", path, "a", "b"], 1, "", "Error: Unknown hash type 'md5'\n"),
            (["-b", path, "a:b", "x"], 1, "", "Error: Username must not contain the ':' character.\n"),
            (["-b", path, "a", "x"], 1, "", "Error: Unable to open password file \(path). No such file or directory.\n"),
            (["-D", path, "a"], 1, "", "Error: Unable to open password file \(path). No such file or directory.\n"),
            (["-c", "-b", directory.file("no/dir/pw"), "a", "x"], 1, "",
             "Error: Unable to open file \(directory.file("no/dir/pw")) for writing. No such file or directory.\n"),
        ]
        for (arguments, status, out, err) in cases {
            let (code, io) = run(arguments)
            XCTAssertEqual(code, status, "\(arguments)")
            XCTAssertEqual(io.out, out, "\(arguments)")
            XCTAssertEqual(io.err, err, "\(arguments)")
        }
        for arguments in [[], [path], ["-b", path, "a"], ["-x", path, "a", "b"]] {
            let (code, io) = run(arguments)
            XCTAssertEqual(code, 1, "\(arguments)")
            XCTAssertEqual(io.out, PasswdTool.usage, "\(arguments)")
        }
    }

    /// An administrator's `chown mosquitto:mosquitto` and `chmod 640` survive every kind of
    /// edit: the new file replaces the old one with its owner, group and mode.
    func testEditsKeepOwnerGroupAndMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("passwd")
        XCTAssertEqual(run(["-c", "-b", path, "iot", "secret"]).0, 0)
        XCTAssertEqual(chmod(path, 0o640), 0)
        let asRoot = geteuid() == 0
        if asRoot {
            XCTAssertEqual(chown(path, 65534, 65534), 0)  // nobody:nogroup
        }
        let owner = try ownership(path)

        let edits: [[String]] = [["-b", path, "iot", "newer"], ["-b", path, "bob", "builder"], ["-D", path, "bob"],
                                 ["-U", path], ["-c", "-b", path, "iot", "again"]]
        for arguments in edits {
            let (code, io) = run(arguments)
            XCTAssertEqual(code, 0, "\(arguments): \(io.err)")
            XCTAssertEqual(try permissions(path), 0o640, "\(arguments)")
            XCTAssertEqual(try ownership(path).uid, owner.uid, "\(arguments)")
            XCTAssertEqual(try ownership(path).gid, owner.gid, "\(arguments)")
        }
        if asRoot { XCTAssertEqual(owner.uid, 65534) }
        XCTAssertTrue(try PasswordFile.load(path: path).verify(username: "iot", password: "again"))
        // Nothing is left behind in the folder.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["passwd"])
    }

    /// The temporary file is created, never opened: a link planted where an older version put
    /// its temporary file (`.passwd.tmp<pid>`) is neither followed nor replaced.
    func testAPlantedLinkAtTheOldTemporaryNameIsNotFollowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.file("passwd")
        XCTAssertEqual(run(["-c", "-b", path, "iot", "secret"]).0, 0)
        let victim = try directory.write("victim", "precious\n")
        let planted = directory.file(".passwd.tmp\(getpid())")
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: victim)

        XCTAssertEqual(run(["-b", path, "bob", "builder"]).0, 0)
        XCTAssertEqual(try directory.read("victim"), "precious\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: planted), victim)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, .typeRegular)
        XCTAssertEqual(try PasswordFile.load(path: path).usernames, ["iot", "bob"])
    }

    func ownership(_ path: String) throws -> (uid: uid_t, gid: gid_t) {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
        return (info.st_uid, info.st_gid)
    }

    func testUpdateHashesPlainTextFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("plain", "# users\nalice:wonderland\nbob:builder\n")
        var (code, _) = run(["-U", path])
        XCTAssertEqual(code, 0)
        let once = try directory.read("plain")
        let file = try PasswordFile.load(path: path)
        XCTAssertTrue(file.verify(username: "alice", password: "wonderland"))
        XCTAssertTrue(file.verify(username: "bob", password: "builder"))
        // Running it again leaves hashed lines alone.
        (code, _) = run(["-U", path])
        XCTAssertEqual(code, 0)
        XCTAssertEqual(try directory.read("plain"), once)
    }

    /// Editing keeps lines it cannot read, as mosquitto_passwd does.
    func testEditingKeepsOtherLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("pw", "x:$7$101$AAAA$BBBB\n")
        let (code, _) = run(["-b", path, "a", "b"])
        XCTAssertEqual(code, 0)
        XCTAssertTrue(try directory.read("pw").hasPrefix("x:$7$101$AAAA$BBBB\na:$7$101$"))
        let (corrupt, io) = run(["-b", try directory.write("bad", "nocolon\n"), "a", "b"])
        XCTAssertEqual(corrupt, 1)
        XCTAssertEqual(io.err, "Error: Corrupt password file at line 1.\n")
    }
}
