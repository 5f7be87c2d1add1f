import Foundation
import MQTTBroker
import TestSupport
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

        let broker = try RunningMosquitto(executable: mosquitto, configPath: configPath, port: port)
        defer { broker.stop() }
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

/// Our ACL decisions for delivery (read) and publish (write) agree with the real mosquitto's
/// on the same acl_file.
final class MosquittoACLInteropTests: XCTestCase {
    func testDeliveryAndPublishDecisionsMatchMosquitto() throws {
        guard let mosquitto = findExecutable("mosquitto"), let sub = findExecutable("mosquitto_sub"),
              let pub = findExecutable("mosquitto_pub")
        else {
            throw XCTSkip("mosquitto, mosquitto_sub and mosquitto_pub are not installed (apt-get install mosquitto mosquitto-clients)")
        }
        let directory = try TemporaryDirectory()
        var passwords = PasswordFile()
        passwords.setPassword("w", for: "writer")
        passwords.setPassword("i", for: "iot")
        try passwords.write(to: directory.file("passwd"))
        let aclText = """
            user writer
            topic write #
            topic write $SYS/custom
            topic deny writer/blocked
            user iot
            topic read livingroom/#
            topic deny livingroom/secret
            topic read kitchen/+/temp
            topic readwrite $SYS/custom
            pattern read clients/%c/#
            pattern read users/%u/#
            """
        try directory.write("acl", aclText)
        let security = ListenerSecurity(settings: .init(allowAnonymous: false), acl: try ACL(contents: aclText))
        let port = freeLoopbackPort()
        let configPath = try directory.write("mosquitto.conf", """
            listener \(port) 127.0.0.1
            allow_anonymous false
            password_file \(directory.file("passwd"))
            acl_file \(directory.file("acl"))
            user root
            log_dest file \(directory.file("mosquitto.log"))
            log_type all
            """)
        let broker = try RunningMosquitto(executable: mosquitto, configPath: configPath, port: port)
        defer { broker.stop() }
        guard canConnect(port: port) else { return XCTFail("mosquitto did not start") }

        let topics = ["livingroom/temp", "livingroom", "livingroom/secret", "livingroom/secret/x", "kitchen/oven/temp",
                      "kitchen/oven/hum", "clients/sub1/status", "clients/other/status", "users/iot/inbox",
                      "users/bob/inbox", "garage/door", "writer/blocked", "$SYS/custom"]
        // The subscriber's lines go to a file, line-buffered, so the test can wait for the last one.
        let receivedPath = try directory.write("received", "")
        let subscriber = Process()
        subscriber.executableURL = URL(fileURLWithPath: try XCTUnwrap(findExecutable("stdbuf")))
        subscriber.arguments = ["-oL", sub, "-h", "127.0.0.1", "-p", String(port), "-u", "iot", "-P", "i", "-i", "sub1",
                                "-t", "#", "-t", "$SYS/custom", "-q", "1", "-v", "-W", "60"]
        subscriber.standardOutput = try XCTUnwrap(FileHandle(forWritingAtPath: receivedPath))
        subscriber.standardError = FileHandle.nullDevice
        try subscriber.run()
        defer {
            if subscriber.isRunning { subscriber.terminate() }
            subscriber.waitUntilExit()
        }
        XCTAssertTrue(waitForFile(directory.file("mosquitto.log"), containing: "Sending SUBACK to sub1"), "sub1 never subscribed")
        // Then a marker both users may use: QoS 1 from one publisher keeps its order, so once the
        // marker is in, every earlier message the ACL lets through is in too.
        for topic in topics + ["livingroom/end"] {
            let result = try runProcess(pub, ["-h", "127.0.0.1", "-p", String(port), "-u", "writer", "-P", "w", "-i", "pub1",
                                              "-q", "1", "-t", topic, "-m", "m"])
            XCTAssertEqual(result.status, 0, "\(topic): \(result.stderr)")
        }
        XCTAssertTrue(waitForFile(receivedPath, containing: "livingroom/end m\n"), "the marker never arrived")
        subscriber.terminate()
        subscriber.waitUntilExit()
        let received = Set(try String(contentsOfFile: receivedPath, encoding: .utf8)
            .split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        for topic in topics {
            let delivered = security.canPublish(clientID: "pub1", username: "writer", topic: topic)
                && security.canRead(clientID: "sub1", username: "iot", topic: topic)
            XCTAssertEqual(received.contains(topic), delivered, "mosquitto and our ACL disagree on \(topic)")
        }
        XCTAssertTrue(received.contains("livingroom/temp"), "the test delivered nothing: \(received)")
    }
}
