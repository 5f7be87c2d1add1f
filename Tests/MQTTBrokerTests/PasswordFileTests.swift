import Crypto
import Foundation
import MQTTBroker
import TestSupport
import XCTest

final class PasswordFileTests: XCTestCase {
    func mosquittoPasswd() throws -> String {
        guard let path = findExecutable("mosquitto_passwd") else {
            throw XCTSkip("mosquitto_passwd is not installed (apt-get install mosquitto); skipping the check against files it writes")
        }
        return path
    }

    /// Files written by the real `mosquitto_passwd -c -b` ($7$, PBKDF2-SHA512) verify.
    func testAcceptsFilesFromRealMosquittoPasswd() throws {
        let tool = try mosquittoPasswd()
        let directory = try TemporaryDirectory()
        let path = directory.file("passwd")
        XCTAssertEqual(try runProcess(tool, ["-c", "-b", path, "iot", "secret"]).status, 0)
        XCTAssertEqual(try runProcess(tool, ["-b", path, "bob", "p@ss word:with colon ü"]).status, 0)
        XCTAssertEqual(try runProcess(tool, ["-H", "sha512", "-b", path, "old", "legacy"]).status, 0)

        let text = try directory.read("passwd")
        XCTAssertTrue(text.hasPrefix("iot:$7$101$"), text)
        let file = try PasswordFile.load(path: path)
        XCTAssertEqual(file.usernames, ["iot", "bob", "old"])
        guard case .pbkdf2SHA512(let iterations, let salt, let hash)? = file.hash(for: "iot") else {
            return XCTFail("iot should have a $7$ hash")
        }
        XCTAssertEqual(iterations, 101)
        XCTAssertEqual(salt.count, 12)
        XCTAssertEqual(hash.count, 64)
        guard case .sha512? = file.hash(for: "old") else { return XCTFail("old should have a $6$ hash") }

        XCTAssertTrue(file.verify(username: "iot", password: "secret"))
        XCTAssertFalse(file.verify(username: "iot", password: "Secret"))
        XCTAssertFalse(file.verify(username: "iot", password: ""))
        XCTAssertTrue(file.verify(username: "bob", password: "p@ss word:with colon ü"))
        XCTAssertTrue(file.verify(username: "old", password: "legacy"))
        XCTAssertFalse(file.verify(username: "old", password: "legacy2"))
        XCTAssertFalse(file.verify(username: "nobody", password: "secret"))
        // Re-serialising keeps the real tool's text byte for byte.
        XCTAssertEqual(file.serialized, text)
    }

    /// A `$6$` line made here: SHA512(password || salt) with swift-crypto.
    func testSHA512LineMadeInTheTest() throws {
        let salt: [UInt8] = Array("0123456789ab".utf8)
        var hasher = SHA512()
        hasher.update(data: Array("hunter2".utf8))
        hasher.update(data: salt)
        let digest = Data(hasher.finalize())
        let line = "alice:$6$\(Data(salt).base64EncodedString())$\(digest.base64EncodedString())\n"
        let file = try PasswordFile(contents: "# users\n\n" + line)
        XCTAssertTrue(file.verify(username: "alice", password: "hunter2"))
        XCTAssertFalse(file.verify(username: "alice", password: "hunter3"))
        XCTAssertFalse(file.verify(username: "Alice", password: "hunter2"))
        // CRLF line ends (a file edited on Windows).
        let crlf = try PasswordFile(contents: "# users\r\n" + line.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertTrue(crlf.verify(username: "alice", password: "hunter2"))
    }

    /// Iterations and salt length come from the line, not from constants.
    func testIterationsAndSaltLengthAreReadFromTheLine() throws {
        let salt: [UInt8] = Array(0..<20)
        let hash = PasswordHash.pbkdf2(password: Array("pw".utf8), salt: salt, iterations: 1000, length: 64)
        let line = "u:$7$1000$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        let file = try PasswordFile(contents: line)
        XCTAssertEqual(file.hash(for: "u"), .pbkdf2SHA512(iterations: 1000, salt: salt, hash: hash))
        XCTAssertTrue(file.verify(username: "u", password: "pw"))
        XCTAssertFalse(file.verify(username: "u", password: "pw "))
    }

    /// RFC 6070-style check of our PBKDF2 against a published HMAC-SHA512 vector
    /// (P="password", S="salt", c=1, dkLen=64).
    func testPBKDF2KnownVector() {
        let derived = PasswordHash.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        XCTAssertEqual(derived.map { String(format: "%02x", $0) }.joined(),
                       "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce")
        let two = PasswordHash.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 2, length: 64)
        XCTAssertEqual(two.map { String(format: "%02x", $0) }.joined(),
                       "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e")
    }

    func testWriterMakesMosquittoStyleLines() throws {
        var file = PasswordFile()
        file.setPassword("secret", for: "iot")
        file.setPassword("other", for: "bob")
        file.setPassword("changed", for: "iot")
        let text = file.serialized
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("iot:$7$101$"))
        let fields = lines[0].split(separator: "$")
        XCTAssertEqual(fields.count, 5)  // "iot:", "7", "101", salt, hash
        XCTAssertEqual(Data(base64Encoded: String(fields[3]))?.count, 12)
        XCTAssertEqual(Data(base64Encoded: String(fields[4]))?.count, 64)
        XCTAssertEqual(fields[3].count, 16)  // 12 bytes of salt in base64, as mosquitto_passwd
        XCTAssertEqual(fields[4].count, 88)
        let reread = try PasswordFile(contents: text)
        XCTAssertTrue(reread.verify(username: "iot", password: "changed"))
        XCTAssertFalse(reread.verify(username: "iot", password: "secret"))
        XCTAssertTrue(reread.verify(username: "bob", password: "other"))
        // Two hashes of one password differ (random salt).
        XCTAssertNotEqual(PasswordHash.make(password: "x"), PasswordHash.make(password: "x"))
        XCTAssertTrue(PasswordHash.makeSHA512(password: "x").verify(password: "x"))
        XCTAssertTrue(PasswordHash.makeSHA512(password: "x").encoded.hasPrefix("$6$"))

        let directory = try TemporaryDirectory()
        try file.write(to: directory.file("pw"))
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("pw"))
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try directory.read("pw"), text)
    }

    func testMalformedLinesAreErrorsWithTheirLineNumber() {
        let good = "iot:$7$101$4vSNXkwDQ868jlGJ$9EPmPmygnVALNgaeL7qAZNMk8kW2sQ7AupQxQ5OCVXu2hUbBlYQv+tf83PlUbGjUOXlncOXGuv76DvbMM1tgyw=="
        let cases: [String] = [
            "no-colon-here",
            ":$7$101$4vSNXkwDQ868jlGJ$AAAA",
            "u:plaintext",
            "u:$5$abc$def",
            "u:$7$$4vSNXkwDQ868jlGJ$AAAA",
            "u:$7$-5$4vSNXkwDQ868jlGJ$AAAA",
            "u:$7$1x$4vSNXkwDQ868jlGJ$AAAA",
            "u:$7$101$not base64!$AAAA",
            "u:$7$101$4vSNXkwDQ868jlGJ$",
            "u:$7$101$4vSNXkwDQ868jlGJ",
            "u:$6$4vSNXkwDQ868jlGJ$AAAA",  // a $6$ hash must be 64 bytes
            "u:$6$$" + String(repeating: "A", count: 88),
        ]
        for bad in cases {
            XCTAssertThrowsError(try PasswordFile(contents: "\(good)\n# comment\n\(bad)\n", file: "pw"), bad) { error in
                let error = error as? PasswordFileError
                XCTAssertEqual(error?.line, 3, bad)
                XCTAssertEqual(error?.file, "pw", bad)
                XCTAssertTrue(error?.description.hasPrefix("pw:3: ") ?? false, "\(String(describing: error))")
            }
        }
        XCTAssertThrowsError(try PasswordFile.load(path: "/nonexistent/passwd")) { error in
            XCTAssertEqual((error as? PasswordFileError)?.message, "Unable to open password file /nonexistent/passwd. No such file or directory.")
        }
    }

    func testConstantTimeCompare() {
        XCTAssertTrue(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2]))
        XCTAssertTrue(PasswordHash.constantTimeEqual([], []))
    }
}

/// CONNECT decisions of one listener (each case checked against mosquitto 2.0.11).
final class ListenerSecurityTests: XCTestCase {
    func testAuthenticateLikeMosquitto() throws {
        var passwords = PasswordFile()
        passwords.setPassword("x", for: "bob")
        typealias Settings = BrokerConfiguration.EffectiveSecurity
        let withFile = { (anonymous: Bool) in
            ListenerSecurity(settings: Settings(allowAnonymous: anonymous, passwordFile: "/p"), passwords: passwords)
        }
        let cases: [(ListenerSecurity, String?, String?, Bool, String)] = [
            (withFile(false), "bob", "x", true, "right password"),
            (withFile(false), "bob", "y", false, "wrong password"),
            (withFile(false), "bob", nil, false, "no password"),
            (withFile(false), nil, nil, false, "anonymous refused"),
            (withFile(true), nil, nil, true, "anonymous allowed"),
            (withFile(true), "bob", "y", false, "a wrong password is refused even with allow_anonymous"),
            (withFile(true), "stranger", "x", false, "unknown user"),
            (ListenerSecurity(settings: Settings(allowAnonymous: true)), "bob", "anything", true, "no password file, anonymous allowed"),
            (ListenerSecurity(settings: Settings(allowAnonymous: false)), "bob", "anything", false, "no password file, anonymous refused"),
        ]
        for (security, username, password, expected, label) in cases {
            XCTAssertEqual(security.authenticate(username: username, password: password.map { Array($0.utf8) }), expected, label)
        }
        // Without an ACL everything is allowed.
        let open = ListenerSecurity(settings: Settings(allowAnonymous: true))
        XCTAssertTrue(open.canPublish(clientID: "c", username: nil, topic: "a"))
        XCTAssertTrue(open.canSubscribe(clientID: "c", username: nil, filter: "#"))
        XCTAssertTrue(open.canRead(clientID: "c", username: nil, topic: "a"))
        // Clients never publish to $SYS (mosquitto 2.0.11), other $-topics are ordinary.
        XCTAssertFalse(open.canPublish(clientID: "c", username: nil, topic: "$SYS/custom"))
        XCTAssertTrue(open.canPublish(clientID: "c", username: nil, topic: "$other/x"))
    }

    func testLoadsTheFilesTheSettingsName() throws {
        let directory = try TemporaryDirectory()
        var passwords = PasswordFile()
        passwords.setPassword("secret", for: "iot")
        try passwords.write(to: directory.file("passwd"))
        try directory.write("acl", "user iot\ntopic readwrite livingroom/#\n")
        let security = try ListenerSecurity.load(.init(allowAnonymous: false, passwordFile: directory.file("passwd"), aclFile: directory.file("acl")))
        XCTAssertTrue(security.authenticate(username: "iot", password: Array("secret".utf8)))
        XCTAssertTrue(security.canPublish(clientID: "c", username: "iot", topic: "livingroom/temp"))
        XCTAssertFalse(security.canPublish(clientID: "c", username: "iot", topic: "kitchen/temp"))
        XCTAssertThrowsError(try ListenerSecurity.load(.init(allowAnonymous: false, passwordFile: directory.file("missing"))))
        try directory.write("badacl", "topic read a\nnonsense\n")
        XCTAssertThrowsError(try ListenerSecurity.load(.init(allowAnonymous: false, aclFile: directory.file("badacl")))) { error in
            XCTAssertTrue("\(error)".contains("badacl:2:"), "\(error)")
        }
    }
}
