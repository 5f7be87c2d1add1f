@testable import MQTTBroker
import XCTest

/// A login with an unknown user name must cost what a known one costs, or timing tells which
/// names exist. Timing is not asserted here (benchmarks measure); these tests check the shape
/// instead: both paths run one hash of the same kind and cost.
final class LoginTimingTests: XCTestCase {
    func hashes(for username: String, in file: PasswordFile) -> (accepted: Bool, hashed: [PasswordHash]) {
        var hashed: [PasswordHash] = []
        // The hashing "matches" whatever it is given: an unknown user must still be refused.
        let accepted = file.verify(username: username, password: Array("pw".utf8)) { hash, _ in
            hashed.append(hash)
            return true
        }
        return (accepted, hashed)
    }

    func testUnknownUserRunsTheKDFOfTheFilesEntries() throws {
        var file = PasswordFile()
        let alice = PasswordHash.make(password: "a", iterations: 1000, saltLength: 16)
        file.setHash(alice, for: "alice")
        file.setHash(PasswordHash.make(password: "b", iterations: 1000, saltLength: 16), for: "bob")
        file.setHash(PasswordHash.makeSHA512(password: "c"), for: "old")

        let known = hashes(for: "alice", in: file)
        XCTAssertTrue(known.accepted)
        XCTAssertEqual(known.hashed, [alice])

        let unknown = hashes(for: "mallory", in: file)
        XCTAssertFalse(unknown.accepted)
        XCTAssertEqual(unknown.hashed.count, 1)
        guard case .pbkdf2SHA512(let iterations, let salt, let hash)? = unknown.hashed.first else {
            return XCTFail("an unknown user should run PBKDF2 like most entries, ran \(unknown.hashed)")
        }
        XCTAssertEqual(iterations, 1000)
        XCTAssertEqual(salt.count, 16)
        XCTAssertEqual(hash.count, 64)
    }

    func testTheDecoyFollowsTheMostCommonKindOfEntry() throws {
        var legacy = PasswordFile()
        legacy.setHash(PasswordHash.makeSHA512(password: "a"), for: "a")
        legacy.setHash(PasswordHash.makeSHA512(password: "b"), for: "b")
        legacy.setHash(PasswordHash.make(password: "c", iterations: 5), for: "c")
        guard case .sha512(let salt, _)? = hashes(for: "nobody", in: legacy).hashed.first else {
            return XCTFail("a file of $6$ entries should get a $6$ decoy")
        }
        XCTAssertEqual(salt.count, PasswordHash.defaultSaltLength)

        // Read from a file's text, and after edits.
        var text = try PasswordFile(contents: "x:\(PasswordHash.make(password: "x", iterations: 7).encoded)\n")
        guard case .pbkdf2SHA512(7, _, _)? = hashes(for: "nobody", in: text).hashed.first else {
            return XCTFail("the decoy should use the file's 7 iterations")
        }
        text.setHash(PasswordHash.make(password: "y", iterations: 9), for: "y")
        text.setHash(PasswordHash.make(password: "z", iterations: 9), for: "z")
        guard case .pbkdf2SHA512(9, _, _)? = hashes(for: "nobody", in: text).hashed.first else {
            return XCTFail("two entries of 9 iterations outnumber one of 7")
        }

        // An empty file costs what mosquitto_passwd's default entry costs.
        guard case .pbkdf2SHA512(PasswordHash.defaultIterations, _, _)? = hashes(for: "nobody", in: PasswordFile()).hashed.first else {
            return XCTFail("an empty file should get the default PBKDF2 decoy")
        }
    }
}
