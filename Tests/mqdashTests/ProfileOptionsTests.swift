import ArgumentParser
import MQTTClient
import MQTTCore
import Profiles
@testable import MQTTBench
import XCTest

@testable import mqdash

/// `--profile NAME` and the `default` profile under the command line's flags.
final class ProfileOptionsTests: XCTestCase {
    private let config = try! ProfileConfig.parse("""
        [profiles.default]
        host = "default-host"
        user = "d"

        [profiles.home]
        host = "192.168.1.2"
        port = 1884
        user = "iot"
        password_env = "HOME_PW"
        client_id = "home-dash"
        protocol_version = 5
        keep_alive = 20
        cafile = "/ca.pem"

        [profiles.cloud]
        url = "mqtts://cloud.example:8884"
        password = "in-clear"
        """, file: "c.toml")

    private let passwords = PasswordResolver(environment: ["HOME_PW": "from-env"])

    private func apply(_ arguments: String..., allowDefault: Bool = true) throws -> (ConnectionOptions, ConnectionProfile?) {
        try ConnectionOptions.parse(arguments).applyingProfile(from: config, allowDefault: allowDefault, passwords: passwords)
    }

    private func client(_ options: ConnectionOptions) throws -> MQTTClientConfiguration {
        try options.publisherConfiguration().0
    }

    /// What a profile can set of the connection, each compared.
    private func assertConnection(
        _ configuration: MQTTClientConfiguration, host: String, port: Int, username: String, password: String, clientID: String,
        version: MQTTVersion, keepAlive: UInt16, line: UInt = #line
    ) {
        XCTAssertEqual(configuration.host, host, line: line)
        XCTAssertEqual(configuration.port, port, line: line)
        XCTAssertEqual(configuration.username, username, line: line)
        XCTAssertEqual(configuration.password, password, line: line)
        XCTAssertEqual(configuration.clientID, clientID, line: line)
        XCTAssertEqual(configuration.version, version, line: line)
        XCTAssertEqual(configuration.keepAlive, keepAlive, line: line)
    }

    func testTheProfileFillsWhatTheCommandLineLeavesOut() throws {
        let (options, profile) = try apply("--profile", "home")
        XCTAssertEqual(profile?.name, "home")
        assertConnection(
            try client(options), host: "192.168.1.2", port: 1884, username: "iot", password: "from-env", clientID: "home-dash",
            version: .v5, keepAlive: 20)
        XCTAssertEqual(options.cafile, "/ca.pem")
    }

    func testFlagsOverrideTheProfile() throws {
        let (options, _) = try apply("--profile", "home", "-p", "1999", "-u", "me", "-P", "typed", "-i", "mine", "-V", "311", "-k", "5")
        assertConnection(
            try client(options), host: "192.168.1.2", port: 1999, username: "me", password: "typed", clientID: "mine",
            version: .v3_1_1, keepAlive: 5)

        // -h (or -L) chooses the broker: the profile's host, port and URL no longer apply, its user still does.
        let (other, _) = try apply("--profile", "home", "-h", "elsewhere")
        let elsewhere = try client(other)
        XCTAssertEqual(elsewhere.host, "elsewhere")
        XCTAssertEqual(elsewhere.port, 8883, "TLS from the profile's cafile")
        XCTAssertEqual(elsewhere.username, "iot")
        let (cloudByHost, _) = try apply("--profile", "cloud", "-h", "local")
        XCTAssertEqual(try client(cloudByHost).host, "local")
        XCTAssertEqual(try client(try apply("--profile", "cloud").0).host, "cloud.example")
        XCTAssertEqual(try client(try apply("--profile", "cloud").0).password, "in-clear")
    }

    func testTheDefaultProfileOnlyWithoutHostURLOrProfile() throws {
        let (options, profile) = try apply()
        XCTAssertEqual(profile?.name, "default")
        XCTAssertEqual(try client(options).host, "default-host")
        XCTAssertEqual(try client(options).username, "d")

        XCTAssertNil(try apply("-h", "h").1)
        XCTAssertNil(try apply("-L", "mqtt://u@h").1)
        XCTAssertNil(try apply(allowDefault: false).1, "the dashboard's own broker")
        XCTAssertEqual(try client(try apply(allowDefault: false).0).host, "localhost")
        XCTAssertEqual(try apply("--profile", "home", allowDefault: false).1?.name, "home")

        // No default profile: the command's own defaults.
        let none = try ConnectionOptions.parse([]).applyingProfile(
            from: ProfileConfig.parse("[profiles.x]\nhost = \"x\"", file: "c.toml"), passwords: passwords)
        XCTAssertNil(none.profile)
        XCTAssertEqual(try client(none.options).host, "localhost")
        XCTAssertEqual(try client(none.options).keepAlive, 60)
    }

    func testAnUnknownProfileOrAMissingFileIsAnError() {
        XCTAssertThrowsError(try apply("--profile", "hme")) { error in
            XCTAssertEqual("\(error)", "Error: --profile hme: c.toml has no [profiles.hme]; profiles: default, home, cloud.")
        }
        XCTAssertThrowsError(try ConnectionOptions.parse(["--profile", "x"]).applyingProfile(from: nil, passwords: passwords)) { error in
            XCTAssertTrue("\(error)".hasPrefix("Error: --profile x: there is no profiles file ("), "\(error)")
        }
    }

    func testAMissingPasswordVariableNamesTheProfile() {
        XCTAssertThrowsError(try ConnectionOptions.parse(["--profile", "home"])
            .applyingProfile(from: config, passwords: PasswordResolver(environment: [:]))) { error in
            XCTAssertEqual("\(error)", "Error: c.toml:5: profile home: password_env names HOME_PW, which is not set")
        }
        // -P on the command line: the profile's password source is not consulted.
        XCTAssertNoThrow(try ConnectionOptions.parse(["--profile", "home", "-P", "x"])
            .applyingProfile(from: config, passwords: PasswordResolver(environment: [:])))
    }

    func testBenchTakesTheSameProfiles() throws {
        let (options, profile) = try BenchConnectionOptions.parse(["--profile", "home", "-k", "9"])
            .applyingProfile(from: config, passwords: passwords)
        XCTAssertEqual(profile?.name, "home")
        let target = try options.target(applyingProfile: false)
        XCTAssertEqual(target.host, "192.168.1.2")
        XCTAssertEqual(target.port, 1884)
        XCTAssertEqual(target.username, "iot")
        XCTAssertEqual(target.password, "from-env")
        XCTAssertEqual(target.version, .v5)
        XCTAssertEqual(target.keepAlive, 9, "the flag wins")
        XCTAssertNotNil(target.tls, "the profile's cafile")
        XCTAssertEqual(try BenchConnectionOptions.parse([]).applyingProfile(from: config, passwords: passwords).profile?.name, "default")
    }

    func testTheListingNeverShowsAPassword() throws {
        let lines = ProfilesCommand.lines(try ProfileConfig.parse("""
            [profiles.default]
            url = "mqtt://iot:secret@broker"
            [profiles.home]
            host = "192.168.1.2"
            port = 1883
            user = "iot"
            password = "secret"
            """, file: "c.toml"))
        XCTAssertEqual(lines, [
            "NAME       USER  URL",
            "default *  -     mqtt://iot:***@broker",
            "home       iot   mqtt://192.168.1.2:1883",
        ])
    }
}
