import ConfigFile
import Profiles
import XCTest

/// `config.toml`: profiles as written, and every mistake named by file, line and key.
final class ProfileConfigTests: XCTestCase {
    private func parse(_ text: String) throws -> ProfileConfig { try ProfileConfig.parse(text, file: "c.toml") }

    private func error(_ text: String, line: UInt = #line) -> ProfileError? {
        do {
            _ = try parse(text)
            XCTFail("parsed without an error", line: line)
            return nil
        } catch {
            return error as? ProfileError
        }
    }

    func testTheIssuesExampleAsWritten() throws {
        let config = try parse("""
            [profiles.home]
            host = "192.168.1.2"
            port = 1883
            user = "iot"
            password_command = "pass show mqtt/home"
            subscriptions = ["livingroom/#", "kitchen/#"]

            [[decoders]]
            filter = "factory/+/telemetry"
            decode = "gzip | json"
            """)
        var home = ConnectionProfile(name: "home", file: "c.toml", line: 1)
        home.host = "192.168.1.2"
        home.port = 1883
        home.user = "iot"
        home.password = .command("pass show mqtt/home")
        home.subscriptions = [ProfileSubscription(filter: "livingroom/#"), ProfileSubscription(filter: "kitchen/#")]
        XCTAssertEqual(config.profiles, [home])
        XCTAssertEqual(config.decoderRules, [DecoderRuleSetting(filter: "factory/+/telemetry", decode: "gzip | json", file: "c.toml", line: 8)])
        XCTAssertFalse(config.holdsPassword)
    }

    func testEverySettingAndTheOrderOfProfiles() throws {
        let config = try parse("""
            [profiles.default]
            url = "mqtts://iot:secret@broker:8883"
            password = "secret"
            [profiles.lab]
            host = "lab"
            client_id = "me"
            client_id_prefix = "p-"
            protocol_version = 5
            keep_alive = 30
            cafile = "/ca.pem"
            capath = "/certs"
            cert = "/c.pem"
            key = "/k.pem"
            insecure = true
            max_packet = 1024
            qos = 1
            subscriptions = ["a/#", { filter = "b/+", qos = 2 }]
            theme = "light"
            log_size = 10
            max_payload = 20
            history = 30
            password_env = "LAB_PASSWORD"
            """)
        XCTAssertEqual(config.profiles.map(\.name), ["default", "lab"])
        XCTAssertTrue(config.holdsPassword)
        XCTAssertEqual(config.profile(named: "default")?.displayURL, "mqtts://iot:***@broker:8883")
        let lab = try XCTUnwrap(config.profile(named: "lab"))
        XCTAssertEqual(lab.line, 4)
        XCTAssertEqual(lab.protocolVersion, "5")
        XCTAssertEqual(lab.keepAlive, 30)
        XCTAssertEqual(lab.insecure, true)
        XCTAssertEqual(lab.maxPacket, 1024)
        XCTAssertEqual([lab.cafile, lab.capath, lab.cert, lab.key, lab.clientID, lab.clientIDPrefix, lab.theme],
                       ["/ca.pem", "/certs", "/c.pem", "/k.pem", "me", "p-", "light"])
        XCTAssertEqual([lab.logSize, lab.maxPayload, lab.history], [10, 20, 30])
        XCTAssertEqual(lab.subscriptions, [ProfileSubscription(filter: "a/#", qos: 1), ProfileSubscription(filter: "b/+", qos: 2)])
        XCTAssertEqual(lab.password, .environment("LAB_PASSWORD"))
        XCTAssertEqual(lab.displayURL, "mqtts://lab")
    }

    func testErrorsNameFileLineAndKey() {
        let cases: [(text: String, message: String, key: String?)] = [
            ("[profiles.home]\nhost = \"h\"\nhots = \"x\"",
             "c.toml:3: unknown key hots in [profiles.home]; expected one of " + [
                "host", "port", "url", "user", "password", "password_command", "password_env", "client_id",
                "client_id_prefix", "protocol_version", "keep_alive", "cafile", "capath", "cert", "key", "insecure",
                "max_packet", "subscriptions", "qos", "theme", "log_size", "max_payload", "history",
             ].joined(separator: ", "), "hots"),
            ("[profiles.home]\n\nport = \"1883\"", "c.toml:3: bad value \"1883\" for port in [profiles.home]; expected an integer from 1 to 65535", "port"),
            ("[profiles.home]\nport = 70000", "c.toml:2: bad value 70000 for port in [profiles.home]; expected an integer from 1 to 65535", "port"),
            ("[profiles.home]\ninsecure = \"yes\"", "c.toml:2: bad value \"yes\" for insecure in [profiles.home]; expected true or false", "insecure"),
            ("[profiles.home]\nprotocol_version = 4", "c.toml:2: bad value 4 for protocol_version in [profiles.home]; expected 5, 311, \"mqttv5\" or \"mqttv311\"", "protocol_version"),
            ("[profiles.home]\npassword = \"x\"\npassword_env = \"Y\"", "c.toml:3: password_env and password (line 2) both set the password of [profiles.home]; keep one", "password_env"),
            ("[profiles.home]\nsubscriptions = \"a/#\"", "c.toml:2: bad value \"a/#\" for subscriptions in [profiles.home]; expected an array of filters, \"a/#\" or { filter = \"a/#\", qos = 1 }", "subscriptions"),
            ("[profiles.home]\nsubscriptions = [{ filter = \"a\", qso = 1 }]", "c.toml:2: unknown key qso in [profiles.home]; expected one of filter, qos", "qso"),
            ("profiles = 3", "c.toml:1: bad value 3 for profiles; expected a table", "profiles"),
            ("[profile.home]\nhost = \"h\"", "c.toml:1: unknown key profile; expected [profiles.NAME] or [[decoders]]", "profile"),
            ("[[decoders]]\nfilter = \"a/#\"\ndecode = 3", "c.toml:3: bad value 3 for decode in [[decoders]]; expected a non-empty \"string\"", "decode"),
            ("[[decoders]]\nfilter = \"a/#\"\ndecode = \"json\"\n\n[[decoders]]\ndecode = \"json\"", "c.toml:5: a [[decoders]] table needs both filter and decode; filter is missing", "filter"),
            ("[[decoders]]\nfilter = \"a\"\ndecode = \"json\"\ncodec = \"x\"", "c.toml:4: unknown key codec in [[decoders]]; expected one of filter, decode", "codec"),
            ("[profiles.home]\nhost = \"a\"\nhost = \"b\"", "", "host"),
        ]
        for (text, message, key) in cases {
            let error = error(text)
            if message.isEmpty {
                XCTAssertEqual(error?.line, 3, text)
                XCTAssertTrue(error?.description.hasPrefix("c.toml:3: syntax error: ") ?? false, error?.description ?? text)
            } else {
                XCTAssertEqual(error?.description, message, text)
            }
            XCTAssertEqual(error?.key, key, text)
        }
    }

    func testLoadIsNilWithoutAFileAndNamesTheFileOtherwise() throws {
        XCTAssertNil(try ProfileConfig.load(path: "/nonexistent/mqdash/config.toml"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mqdash-profiles-\(UUID().uuidString).toml").path
        try "[profiles.a]\nport = 0\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertThrowsError(try ProfileConfig.load(path: path)) { error in
            XCTAssertEqual("\(error)", path + ":2: bad value 0 for port in [profiles.a]; expected an integer from 1 to 65535")
        }
    }

    func testConfigPaths() {
        XCTAssertEqual(ConfigPaths.profilesFile(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/mqdash/config.toml")
        XCTAssertEqual(ConfigPaths.profilesFile(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]), "/h/.config/mqdash/config.toml")
        XCTAssertEqual(ConfigPaths.mosquittoClientFile("mosquitto_sub", environment: ["HOME": "/h"]), "/h/.config/mosquitto_sub")
        XCTAssertNil(ConfigPaths.profilesFile(environment: [:]))
    }
}
