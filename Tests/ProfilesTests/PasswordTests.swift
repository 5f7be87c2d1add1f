import Foundation
@testable import Profiles
import XCTest

/// password_command, password_env, and the warning for a password readable by others.
final class PasswordTests: XCTestCase {
    private func profile(_ password: PasswordSource) -> ConnectionProfile {
        var profile = ConnectionProfile(name: "home", file: "c.toml", line: 3)
        profile.password = password
        return profile
    }

    private let environment = ["PATH": "/usr/bin:/bin", "HOME_PW": "from-env"]

    func testCommandsAreSplitLikeAShellWithoutOne() {
        XCTAssertEqual(PasswordCommand.words("pass show mqtt/home"), ["pass", "show", "mqtt/home"])
        XCTAssertEqual(PasswordCommand.words("  a  'b c' \"d \\\" e\" f\\ g '' $HOME;x"), ["a", "b c", "d \" e", "f g", "", "$HOME;x"])
    }

    func testTheFirstLineOfTheCommandsOutput() throws {
        let resolver = PasswordResolver(environment: environment)
        XCTAssertEqual(try resolver.password(of: profile(.command("printf 's3cret\\nsecond line\\n'"))), "s3cret")
        // No shell: the ; and $ reach printf as they are.
        XCTAssertEqual(try resolver.password(of: profile(.command("echo a;b $HOME_PW"))), "a;b $HOME_PW")
        XCTAssertEqual(try resolver.password(of: profile(.environment("HOME_PW"))), "from-env")
        XCTAssertEqual(try resolver.password(of: profile(.literal("clear"))), "clear")
        XCTAssertNil(try resolver.password(of: ConnectionProfile(name: "x", file: "c.toml")))
    }

    func testFailingCommandsNameTheProfile() {
        let resolver = PasswordResolver(environment: environment)
        for (command, message) in [
            ("false", "c.toml:3: profile home: password_command \"false\" failed with exit code 1"),
            ("no-such-program-xyz", "c.toml:3: profile home: password_command \"no-such-program-xyz\" failed: no-such-program-xyz not found in PATH"),
            ("true", "c.toml:3: profile home: password_command \"true\" printed no password"),
            ("/nonexistent/pw", "c.toml:3: profile home: password_command \"/nonexistent/pw\" could not start: "),
        ] {
            XCTAssertThrowsError(try resolver.password(of: profile(.command(command))), command) { error in
                XCTAssertTrue("\(error)".hasPrefix(message), "\(error)")
                XCTAssertEqual((error as? ProfileError)?.key, "password_command")
            }
        }
    }

    func testAHangingCommandTimesOut() {
        let resolver = PasswordResolver(environment: environment, timeout: .milliseconds(300))
        let start = ContinuousClock.now
        XCTAssertThrowsError(try resolver.password(of: profile(.command("sleep 20")))) { error in
            XCTAssertEqual("\(error)", "c.toml:3: profile home: password_command \"sleep 20\" did not finish within 0.3 s")
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
    }

    func testAMissingVariable() {
        XCTAssertThrowsError(try PasswordResolver(environment: [:]).password(of: profile(.environment("NOPE")))) { error in
            XCTAssertEqual("\(error)", "c.toml:3: profile home: password_env names NOPE, which is not set")
            XCTAssertEqual((error as? ProfileError)?.key, "password_env")
        }
    }

    func testAPasswordReadableByOthersIsWarnedAbout() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqdash-pw-\(UUID().uuidString).toml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "[profiles.a]\npassword = \"x\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let config = try XCTUnwrap(try ProfileConfig.load(path: path))
        XCTAssertEqual(PasswordFilePermissions.warning(for: config),
                       "Warning: \(path) holds a password and is readable by group or others (mode 644); "
                       + "run chmod 600 \(path), or use password_command or password_env")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        XCTAssertNotNil(PasswordFilePermissions.warning(for: config))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        XCTAssertNil(PasswordFilePermissions.warning(for: config))

        // No password in the file: nothing to warn about, whatever its mode.
        try "[profiles.a]\npassword_env = \"X\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        XCTAssertNil(PasswordFilePermissions.warning(for: try XCTUnwrap(try ProfileConfig.load(path: path))))
    }
}
