import Foundation
import MQTTBroker
import XCTest

/// Password files written by our writer are accepted by the real mosquitto broker.
final class MosquittoInteropTests: XCTestCase {
    func testRealMosquittoAcceptsOurPasswordFile() throws {
        guard let mosquitto = findExecutable("mosquitto"), let sub = findExecutable("mosquitto_sub") else {
            throw XCTSkip("mosquitto and mosquitto_sub are not installed (apt-get install mosquitto mosquitto-clients)")
        }
        let directory = try TemporaryDirectory()
        let passwords = directory.file("passwd")
        var file = PasswordFile()
        file.setPassword("secret", for: "iot")
        file.setHash(PasswordHash.makeSHA512(password: "legacy"), for: "old")
        try file.write(to: passwords)

        let port = freeLoopbackPort()
        let configText = """
            listener \(port) 127.0.0.1
            allow_anonymous false
            password_file \(passwords)
            user root
            log_dest file \(directory.file("mosquitto.log"))
            log_type all
            """
        let configPath = try directory.write("mosquitto.conf", configText)
        // Our parser reads the same file the real broker is given.
        let parsed = try ConfigParser.load(path: configPath)
        XCTAssertEqual(parsed.listeners.map(\.port), [port])
        XCTAssertEqual(parsed.listeners.first?.security, .init(allowAnonymous: false, passwordFile: passwords))
        XCTAssertEqual(parsed.user, "root")

        let broker = Process()
        broker.executableURL = URL(fileURLWithPath: mosquitto)
        broker.arguments = ["-c", configPath]
        broker.standardOutput = FileHandle.nullDevice
        broker.standardError = FileHandle.nullDevice
        try broker.run()
        defer {
            broker.terminate()
            broker.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        while !canConnect(port: port) && Date() < deadline && broker.isRunning {
            usleep(50_000)
        }
        guard canConnect(port: port) else {
            let log = (try? directory.read("mosquitto.log")) ?? ""
            return XCTFail("mosquitto did not start on port \(port): \(log)")
        }

        func connect(_ extra: [String]) throws -> ProcessResult {
            try runProcess(sub, ["-h", "127.0.0.1", "-p", String(port), "-t", "t", "-E", "-i", "mqdash-test"] + extra)
        }
        XCTAssertEqual(try connect(["-u", "iot", "-P", "secret"]).status, 0)
        XCTAssertEqual(try connect(["-u", "old", "-P", "legacy"]).status, 0, "$6$ line")
        let wrong = try connect(["-u", "iot", "-P", "wrong"])
        XCTAssertEqual(wrong.status, 5, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("not authorised"), wrong.stderr)
        XCTAssertEqual(try connect(["-u", "nobody", "-P", "secret"]).status, 5)
        XCTAssertEqual(try connect([]).status, 5, "anonymous refused")
        XCTAssertEqual(try connect(["-V", "5", "-u", "iot", "-P", "wrong"]).status, 135, "v5: Not authorized (0x87)")
        XCTAssertEqual(try connect(["-V", "5", "-u", "iot", "-P", "secret"]).status, 0)
    }
}
