import ArgumentParser
import MQTTCore
import XCTest

@testable import MQTTBench
@testable import mqdash

/// `mqdash bench` flags: parsing, defaults and the refusals of bad values.
final class BenchArgumentsTests: XCTestCase {
    private func pub(_ arguments: String...) throws -> (BenchPubCommand, LoadShape) {
        let command = try BenchPubCommand.parse(arguments)
        return (command, try command.shape())
    }

    private func assertRefused(_ arguments: [String], containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try BenchPubCommand.parse(arguments), file: file, line: line) { error in
            let message = BenchPubCommand.message(for: error)
            XCTAssertTrue(message.contains(text), "\(message)", file: file, line: line)
        }
    }

    func testDefaults() throws {
        let (command, shape) = try pub()
        XCTAssertEqual(shape.publishers, 1)
        XCTAssertEqual(shape.subscribers, 0)
        XCTAssertEqual(shape.payloadSize, 64)
        XCTAssertEqual(shape.qos, .atMostOnce)
        XCTAssertEqual(shape.topic, "bench/%i")
        XCTAssertEqual(shape.filter, "bench/%i")
        XCTAssertNil(shape.rate)
        XCTAssertEqual(shape.inflight, 20, "mosquitto's max_inflight_messages")
        XCTAssertEqual(shape.duration, 10, "a forgotten --duration still ends")
        XCTAssertNil(shape.count)
        let target = try command.connection.target(applyingProfile: false)
        XCTAssertEqual(target.host, "localhost")
        XCTAssertEqual(target.port, 1883)
        XCTAssertEqual(target.version, .v3_1_1)
        XCTAssertNil(target.tls)
    }

    func testConnectionFlagsAsInTheOtherTools() throws {
        let (command, _) = try pub("-h", "127.0.0.1", "-p", "1884", "-u", "iot", "-P", "secret", "-V", "5", "-k", "30")
        let target = try command.connection.target(applyingProfile: false)
        XCTAssertEqual(target.host, "127.0.0.1")
        XCTAssertEqual(target.port, 1884)
        XCTAssertEqual(target.username, "iot")
        XCTAssertEqual(target.password, "secret")
        XCTAssertEqual(target.version, .v5)
        XCTAssertEqual(target.keepAlive, 30)
        let connect = target.connectPacket(clientID: "x")
        XCTAssertEqual(connect.username, "iot")
        XCTAssertEqual(connect.password.map { String(buffer: $0) }, "secret")
    }

    func testURLAndTLS() throws {
        let (plain, _) = try pub("-L", "mqtt://iot:secret@broker:1999")
        let target = try plain.connection.target(applyingProfile: false)
        XCTAssertEqual(target.description, "mqtt://broker:1999")
        XCTAssertEqual(target.username, "iot")
        let (secure, _) = try pub("-L", "mqtts://broker", "--cafile", "/tmp/ca.pem")
        let tlsTarget = try secure.connection.target(applyingProfile: false)
        XCTAssertEqual(tlsTarget.port, 8883)
        XCTAssertEqual(tlsTarget.tls?.caFile, "/tmp/ca.pem")
        XCTAssertThrowsError(try BenchPubCommand.parse(["-L", "ws://broker"]))
    }

    func testFanOutAndFanIn() throws {
        let (_, fanOut) = try pub("-c", "1", "--subscribers", "100", "-t", "bench/fanout")
        XCTAssertEqual(fanOut.filter(forSubscriber: 42), "bench/fanout")
        XCTAssertEqual(fanOut.receiversPerPublisher(subscriberCount: 100), [100])

        let (_, fanIn) = try pub("--publishers", "100", "--subscribers", "1", "--filter", "bench/#")
        XCTAssertEqual(fanIn.topic(forPublisher: 7), "bench/7")
        XCTAssertEqual(fanIn.receiversPerPublisher(subscriberCount: 1), [Int](repeating: 1, count: 100))

        // Paired: subscriber i follows publisher i; publisher 2 has nobody.
        let (_, paired) = try pub("-c", "3", "--subscribers", "2")
        XCTAssertEqual(paired.receiversPerPublisher(subscriberCount: 2), [1, 1, 0])
    }

    func testRateIntervalCountAndDuration() throws {
        XCTAssertEqual(try pub("-I", "10").1.rate, 100)
        XCTAssertEqual(try pub("--interval", "0.5").1.rate, 2000)
        XCTAssertEqual(try pub("--rate", "250").1.rate, 250)
        let counted = try pub("--count", "1000").1
        XCTAssertEqual(counted.count, 1000)
        XCTAssertEqual(counted.duration, LoadShape.countSafetyDuration, "--count alone is still bounded in time")
        let both = try pub("--count", "1000", "--duration", "2").1
        XCTAssertEqual(both.duration, 2)
        XCTAssertEqual(try pub("-q", "2", "--inflight", "1").1.qos, .exactlyOnce)
    }

    func testRefusals() {
        assertRefused(["-q", "3"], containing: "Invalid QoS 3")
        assertRefused(["-s", "8"], containing: "-s/--size must be between 24")
        assertRefused(["-I", "10", "--rate", "5"], containing: "either -I/--interval or --rate")
        assertRefused(["--rate", "0"], containing: "--rate must be more than 0")
        assertRefused(["--inflight", "0"], containing: "--inflight must be between 1 and 65535")
        assertRefused(["--duration", "0"], containing: "--duration must be more than 0")
        assertRefused(["--duration", "100000"], containing: "--duration must be more than 0 and at most 86400")
        assertRefused(["--count", "0"], containing: "--count must be at least 1")
        assertRefused(["-c", "0"], containing: "-c/--publishers must be at least 1")
        assertRefused(["-t", "bench/+"], containing: "Invalid topic 'bench/+'")
        assertRefused(["--filter", "a/#/b"], containing: "Invalid filter 'a/#/b'")
        assertRefused(["-V", "4"], containing: "Invalid protocol version '4'")
        assertRefused(["--conn-rate", "0"], containing: "--conn-rate must be more than 0")
        assertRefused(["--threads", "0"], containing: "--threads must be between 1 and 256")
    }

    func testSubAndConnCommands() throws {
        let sub = try BenchSubCommand.parse(["-c", "3", "-t", "sensors/#", "-q", "1", "--count", "50"])
        let shape = try sub.shape()
        XCTAssertEqual(shape.subscribers, 3)
        XCTAssertEqual(shape.publishers, 0)
        XCTAssertEqual(shape.filter(forSubscriber: 2), "sensors/#")
        XCTAssertEqual(shape.qos, .atLeastOnce)

        let conn = try BenchConnCommand.parse(["-c", "50", "--conn-rate", "500", "--duration", "2", "--json"])
        XCTAssertEqual(conn.connections, 50)
        XCTAssertEqual(conn.connRate, 500)
        XCTAssertEqual(conn.duration, 2)
        XCTAssertTrue(conn.json)
        XCTAssertThrowsError(try BenchConnCommand.parse(["-c", "0"]))
        XCTAssertThrowsError(try BenchConnCommand.parse(["--conn-rate", "-1"]))
    }

    func testBenchIsASubcommandOfMQDash() throws {
        let parsed = try MQDash.parseAsRoot(["bench", "pub", "-c", "2", "--subscribers", "2", "-q", "1"])
        let command = try XCTUnwrap(parsed as? BenchPubCommand)
        XCTAssertEqual(command.publishers, 2)
        XCTAssertNotNil(try MQDash.parseAsRoot(["bench", "conn", "-c", "5"]) as? BenchConnCommand)
        XCTAssertNotNil(try MQDash.parseAsRoot(["bench", "sub"]) as? BenchSubCommand)
    }

    func testFileDescriptorPlan() {
        XCTAssertEqual(FileDescriptorLimit.plan(connections: 100, soft: 1024, hard: 4096), .enough)
        XCTAssertEqual(FileDescriptorLimit.plan(connections: 10_000, soft: 1024, hard: 1_048_576), .raise(to: 1_048_576))
        XCTAssertEqual(
            FileDescriptorLimit.plan(connections: 10_000, soft: 1024, hard: 4096),
            .tooFew(available: 4096 - UInt64(FileDescriptorLimit.reserve), hardLimit: 4096))
    }
}
