import Foundation
import MQTTBroker
import TestSupport
import XCTest

/// Client ids, user names and topics reach log lines; none of them may forge a line or send
/// escape sequences to the terminal that shows the log.
final class BrokerLogTests: XCTestCase {
    func testControlCharactersAreEscapedInEveryDestination() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        var configuration = BrokerConfiguration()
        configuration.logDestinations = [.file(directory.file("broker.log"))]
        configuration.logTimestamp = false
        let seen = LockedLines()
        let log = try BrokerLog(configuration: configuration, verbose: true, observer: { _, line in seen.append(line) })

        let forgedID = "x\n1732573200: New client connected from 6.6.6.6:1 as admin (p4, c1, k60, u'admin')."
        log.log(.notice, "New client connected from 127.0.0.1:5 as \(forgedID) (p4, c1, k60).")
        log.log(.notice, "tab\tcr\rdel\u{7F}esc\u{1B}[2Jnul\u{0}c1\u{85}\u{9B}end é 温度 \\n")

        let expected = [
            "New client connected from 127.0.0.1:5 as x\\n1732573200: New client connected from 6.6.6.6:1 as admin (p4, c1, k60, u'admin'). (p4, c1, k60).",
            "tab\\tcr\\rdel\\x7fesc\\x1b[2Jnul\\x00c1\\u{85}\\u{9b}end é 温度 \\n",
        ]
        XCTAssertEqual(try directory.read("broker.log"), expected.joined(separator: "\n") + "\n")
        XCTAssertEqual(seen.lines, expected)
    }

    func testOrdinaryLinesAreUnchanged() {
        let seen = LockedLines()
        let log = BrokerLog(observer: { _, line in seen.append(line) })
        let line = "Client sensor-1 sent a 12-byte message on livingroom/température/°C: dropped."
        log.log(.notice, line)
        XCTAssertEqual(seen.lines, [line])
    }
}

/// Lines an observer received, from whatever thread logged them.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        stored.append(line)
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
