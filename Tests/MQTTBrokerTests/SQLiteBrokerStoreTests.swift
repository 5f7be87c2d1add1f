import Foundation
import GRDB
@testable import MQTTBroker
import MQTTCore
import NIOCore
import TestSupport
import XCTest

/// The SQLite store: every change survives close and reopen, callbacks mean "committed",
/// and a file that is not ours gives an error naming it.
final class SQLiteBrokerStoreTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.cleanup()
    }

    // MARK: Round trips

    func testEveryChangeKindRoundTripsThroughCloseAndReopen() throws {
        let path = directory.file("all.sqlite")
        let weather = message("weather/now", "{\"t\":21.5}", qos: .atLeastOnce, retain: true,
                              properties: [.contentType("application/json"), .userProperty("unit", "C"), .userProperty("unit", "F"),
                                           .messageExpiryInterval(600)],
                              expiresAt: Date(timeIntervalSince1970: 1_800_000_000.123456))
        let binary = message("raw/bytes", [0, 255, 0, 1], qos: .exactlyOnce, properties: [.correlationData(ByteBuffer(bytes: [9, 0, 9]))])
        let changes: [StoreChange] = [
            .setRetained(weather),
            .setRetained(message("gone", "x", retain: true)),
            .clearRetained(topic: "gone"),
            .putSession(clientID: "kitchen", expiryInterval: 3600),
            .putSession(clientID: "hall", expiryInterval: UInt32.max),
            .putSession(clientID: "doomed", expiryInterval: 10),
            .putSubscription(clientID: "kitchen", StoredSubscription(filter: "a/#", options: SubscriptionOptions(qos: .exactlyOnce))),
            .putSubscription(clientID: "kitchen", StoredSubscription(
                filter: "b/+", options: SubscriptionOptions(qos: .atLeastOnce, noLocal: true, retainAsPublished: true, retainHandling: .doNotSend),
                identifier: 268_435_455)),
            .putSubscription(clientID: "kitchen", StoredSubscription(filter: "c", options: SubscriptionOptions())),
            .removeSubscription(clientID: "kitchen", filter: "c"),
            // A re-subscription replaces the options and keeps its place.
            .putSubscription(clientID: "kitchen", StoredSubscription(filter: "a/#", options: SubscriptionOptions(qos: .atLeastOnce), identifier: 7)),
            .enqueue(clientID: "kitchen", sequence: 1, weather),
            .enqueue(clientID: "kitchen", sequence: 2, binary),
            .enqueue(clientID: "kitchen", sequence: 3, binary),
            .enqueue(clientID: "kitchen", sequence: 4, message("q", "")),
            .markSent(clientID: "kitchen", sequence: 1, packetID: 65535),
            .markSent(clientID: "kitchen", sequence: 2, packetID: 2),
            .markReleased(clientID: "kitchen", sequence: 2),
            .markSent(clientID: "kitchen", sequence: 3, packetID: 3),
            .removeOutgoing(clientID: "kitchen", sequence: 3),
            .awaitRelease(clientID: "kitchen", packetID: 17),
            .awaitRelease(clientID: "kitchen", packetID: 4),
            .awaitRelease(clientID: "kitchen", packetID: 99),
            .releaseArrived(clientID: "kitchen", packetID: 99),
            .sessionDisconnected(clientID: "kitchen", at: Date(timeIntervalSince1970: 1_790_000_000.5)),
            .sessionDisconnected(clientID: "hall", at: Date(timeIntervalSince1970: 1_790_000_001)),
            // Connecting again clears the disconnection time.
            .putSession(clientID: "hall", expiryInterval: 60),
            .enqueue(clientID: "doomed", sequence: 1, weather),
            .deleteSession(clientID: "doomed"),
        ]
        XCTAssertEqual(Set(changes.map(kind)).count, StoreChangeKind.count, "every kind of change is used")

        let store = try SQLiteBrokerStore(path: path)
        XCTAssertEqual(try store.load(), StoredState())
        for change in changes { store.record(change) }
        store.close()

        let reopened = try SQLiteBrokerStore(path: path)
        defer { reopened.close() }
        let expected = StoredState(
            retained: [weather],
            sessions: [
                StoredSession(clientID: "hall", expiryInterval: 60),
                StoredSession(
                    clientID: "kitchen", expiryInterval: 3600, disconnectedAt: Date(timeIntervalSince1970: 1_790_000_000.5),
                    subscriptions: [
                        StoredSubscription(filter: "a/#", options: SubscriptionOptions(qos: .atLeastOnce), identifier: 7),
                        StoredSubscription(filter: "b/+", options: SubscriptionOptions(qos: .atLeastOnce, noLocal: true, retainAsPublished: true,
                                                                                      retainHandling: .doNotSend), identifier: 268_435_455),
                    ],
                    outgoing: [
                        StoredOutgoing(sequence: 1, message: weather, packetID: 65535),
                        StoredOutgoing(sequence: 2, message: binary, packetID: 2, released: true),
                        StoredOutgoing(sequence: 4, message: message("q", "")),
                    ],
                    awaitingRelease: [17, 4]),
            ])
        let loaded = try reopened.load()
        XCTAssertEqual(loaded, expected)
        XCTAssertEqual(loaded.retained.first?.expiresAt?.timeIntervalSince1970, 1_800_000_000.123456)
        XCTAssertEqual(loaded.retained.first?.properties.userProperties.map(\.value), ["C", "F"])
    }

    func testOutgoingComesBackInSequenceOrderWhateverTheRecordOrder() throws {
        let path = directory.file("order.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        store.record(.putSession(clientID: "c", expiryInterval: 60))
        // Sequences above 2^32 and out of order; other clients interleaved.
        var sequences: [Int64] = (0..<200).map { 5_000_000_000 + Int64($0) * 3 }
        sequences.shuffle()
        for (index, sequence) in sequences.enumerated() {
            store.record(.enqueue(clientID: "c", sequence: sequence, message("t/\(sequence)", "\(index)", qos: .atLeastOnce)))
            store.record(.enqueue(clientID: "other", sequence: sequence, message("x", "")))
        }
        store.close()

        let reopened = try SQLiteBrokerStore(path: path)
        defer { reopened.close() }
        let state = try reopened.load()
        XCTAssertEqual(state.sessions.map(\.clientID), ["c"], "rows of a client without a session are not a session")
        XCTAssertEqual(state.sessions.first?.outgoing.map(\.sequence), sequences.sorted())
        XCTAssertEqual(state.sessions.first?.outgoing.map(\.message.topic), sequences.sorted().map { "t/\($0)" })
    }

    func testDeleteSessionRemovesEveryRowOfThatClientOnly() throws {
        let path = directory.file("delete.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        for client in ["gone", "kept"] {
            store.record(.putSession(clientID: client, expiryInterval: 100))
            store.record(.putSubscription(clientID: client, StoredSubscription(filter: "#", options: SubscriptionOptions(qos: .atLeastOnce))))
            store.record(.enqueue(clientID: client, sequence: 1, message("a", "1", qos: .atLeastOnce)))
            store.record(.markSent(clientID: client, sequence: 1, packetID: 1))
            store.record(.enqueue(clientID: client, sequence: 2, message("a", "2", qos: .exactlyOnce)))
            store.record(.awaitRelease(clientID: client, packetID: 5))
        }
        store.record(.setRetained(message("a", "r", retain: true)))
        store.record(.deleteSession(clientID: "gone"))
        waitUntilDurable(store)

        // Counted through a connection of our own, not the store's loader.
        let reader = try DatabaseQueue(path: path, configuration: readOnly())
        for table in ["session", "subscription", "outgoing", "awaiting_release"] {
            let gone = try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table) WHERE client_id = 'gone'") }
            let kept = try reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table) WHERE client_id = 'kept'") }
            XCTAssertEqual(gone, 0, table)
            XCTAssertEqual(kept, table == "outgoing" ? 2 : 1, table)
        }
        try reader.close()
        store.close()

        let reopened = try SQLiteBrokerStore(path: path)
        defer { reopened.close() }
        let state = try reopened.load()
        XCTAssertEqual(state.sessions.map(\.clientID), ["kept"])
        XCTAssertEqual(state.sessions.first?.outgoing.count, 2)
        XCTAssertEqual(state.retained.count, 1, "retained messages belong to no session")
    }

    // MARK: Durability callbacks

    /// Each callback runs after the commit holding everything recorded before it, in order,
    /// and what it vouches for is already visible to an independent connection on the file
    /// while the store is still open (what a restarted broker would read after kill -9).
    func testCallbacksRunAfterTheCommitInOrderAndTheDataIsOnDisk() throws {
        let path = directory.file("durable.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        defer { store.close() }
        store.record(.putSession(clientID: "c", expiryInterval: 60))
        let reader = try DatabaseQueue(path: path, configuration: readOnly())
        defer { try? reader.close() }
        let seen = LockedArray<(index: Int, visible: Int)>()
        let done = expectation(description: "all callbacks")
        done.expectedFulfillmentCount = 50
        for index in 0..<50 {
            store.record(.enqueue(clientID: "c", sequence: Int64(index), message("t", "\(index)", qos: .atLeastOnce)))
            store.whenDurable {
                let visible = (try? reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outgoing") }) ?? -1
                seen.append((index, visible))
                done.fulfill()
            }
            if index % 7 == 0 { Thread.sleep(forTimeInterval: 0.001) }
        }
        wait(for: [done], timeout: 10)
        let results = seen.values
        XCTAssertEqual(results.map(\.index), Array(0..<50), "callbacks in registration order")
        for result in results {
            XCTAssertGreaterThan(result.visible, result.index, "message \(result.index) committed before its callback")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "WAL mode")
        XCTAssertEqual(try reader.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
    }

    func testCallbackWithNothingPendingStillRuns() throws {
        let store = try SQLiteBrokerStore(path: directory.file("idle.sqlite"))
        defer { store.close() }
        let first = expectation(description: "idle callback")
        store.whenDurable { first.fulfill() }
        wait(for: [first], timeout: 5)
        // Several in a row after a commit, still in order.
        let order = LockedArray<Int>()
        let all = expectation(description: "callbacks after a commit")
        all.expectedFulfillmentCount = 3
        store.record(.setRetained(message("a", "b", retain: true)))
        for index in 0..<3 { store.whenDurable { order.append(index); all.fulfill() } }
        wait(for: [all], timeout: 5)
        XCTAssertEqual(order.values, [0, 1, 2])
    }

    func testManyThreadsRecordingThenOneCallbackSeesEverythingAfterReopen() throws {
        let path = directory.file("threads.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        let threads = 4, perThread = 2500
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let client = "client-\(thread)"
            store.record(.putSession(clientID: client, expiryInterval: 600))
            for sequence in 0..<perThread {
                store.record(.enqueue(clientID: client, sequence: Int64(sequence), message("load/\(thread)", "\(sequence)", qos: .atLeastOnce)))
            }
        }
        waitUntilDurable(store)
        store.close()

        let reopened = try SQLiteBrokerStore(path: path)
        defer { reopened.close() }
        let state = try reopened.load()
        XCTAssertEqual(state.sessions.map(\.clientID), (0..<threads).map { "client-\($0)" })
        for session in state.sessions {
            XCTAssertEqual(session.outgoing.map(\.sequence), (0..<Int64(perThread)).map { $0 })
            XCTAssertEqual(session.outgoing.last?.message.payload, ByteBuffer(string: "\(perThread - 1)"))
        }
    }

    func testFullSynchronousIsAppliedAndKeepsData() throws {
        let path = directory.file("full.sqlite")
        let store = try SQLiteBrokerStore(path: path, sync: .full)
        XCTAssertEqual(try store.synchronousLevel(), 2)
        store.record(.setRetained(message("f", "full", retain: true)))
        waitUntilDurable(store)
        store.close()
        let normal = try SQLiteBrokerStore(path: path)
        defer { normal.close() }
        XCTAssertEqual(try normal.synchronousLevel(), 1)
        XCTAssertEqual(try normal.load().retained.map(\.payload), [ByteBuffer(string: "full")])
    }

    func testNewDatabaseIsReadableByItsOwnerOnly() throws {
        let path = directory.file("private.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        store.record(.setRetained(message("secret", "s3cr3t", retain: true)))
        waitUntilDurable(store)
        for file in [path, path + "-wal"] {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600, file)
        }
        store.close()
    }

    func testRecordsAfterCloseAreDroppedAndTheirCallbacksNeverRun() throws {
        let store = try SQLiteBrokerStore(path: directory.file("closed.sqlite"))
        store.close()
        store.record(.setRetained(message("late", "x", retain: true)))
        let never = expectation(description: "no callback after close")
        never.isInverted = true
        store.whenDurable { never.fulfill() }
        wait(for: [never], timeout: 0.2)
    }

    // MARK: Files that are not ours

    func testFileThatIsNotADatabaseGivesAnErrorNamingIt() throws {
        let path = try directory.write("mosquitto.db", String(repeating: "mosquitto persistence, not SQLite\n", count: 200))
        assertStoreError(path: path, contains: "not an SQLite database")
        XCTAssertEqual(try directory.read("mosquitto.db").count, 34 * 200, "the file is left as it was")
    }

    func testCorruptDatabaseGivesAnErrorNamingIt() throws {
        let path = directory.file("corrupt.sqlite")
        let store = try SQLiteBrokerStore(path: path)
        for index in 0..<300 { store.record(.setRetained(message("t/\(index)", String(repeating: "p", count: 200), retain: true))) }
        store.close()
        // Scribble over every page after the first (the first holds the header and schema).
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        XCTAssertGreaterThan(size, 8192)
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        do {
            let damaged = try SQLiteBrokerStore(path: path)
            defer { damaged.close() }
            _ = try damaged.load()
            XCTFail("a corrupt database loaded")
        } catch {
            XCTAssertEqual(error.path, path)
            XCTAssertTrue(error.description.hasPrefix("Persistence database \(path): "), error.description)
            XCTAssertTrue(error.reason.contains("corrupt") || error.reason.contains("not an SQLite database"), error.reason)
        }
    }

    func testMissingOrUnusableFolderGivesAnErrorNamingThePath() throws {
        assertStoreError(path: directory.file("no/such/folder/broker.sqlite"), contains: "folder exists and is writable")
        // A regular file where the folder should be (root ignores permission bits, so this is the portable case).
        let notFolder = try directory.write("plain", "x")
        assertStoreError(path: notFolder + "/broker.sqlite", contains: "folder exists and is writable")
    }

    func testDatabaseFromANewerSchemaIsRefused() throws {
        let path = directory.file("newer.sqlite")
        try SQLiteBrokerStore(path: path).close()
        let raw = try DatabaseQueue(path: path)
        try raw.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 99") }
        try raw.close()
        assertStoreError(path: path, contains: "newer mqdash (schema version 99")
    }

    // MARK: Where the file lives

    func testDatabasePathIsNeverTheFileMosquittoWouldUse() {
        var config = BrokerConfiguration()
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "mosquitto.sqlite")
        config.persistenceLocation = "/var/lib/mosquitto/"
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "/var/lib/mosquitto/mosquitto.sqlite")
        config.persistenceLocation = "/srv/mq"
        config.persistenceFile = "broker.db"
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "/srv/mq/broker.sqlite")
        config.persistenceFile = "state"
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "/srv/mq/state.sqlite")
        config.persistenceFile = "mine.sqlite"
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "/srv/mq/mine.mqdash.sqlite")
        config.persistenceFile = ".hidden"
        XCTAssertEqual(SQLiteBrokerStore.databasePath(for: config), "/srv/mq/.hidden.sqlite")
    }

    func testConfigurationChoosesFileAndSync() throws {
        var config = BrokerConfiguration()
        config.persistenceLocation = directory.path + "/"
        config.persistenceSync = .full
        let store = try SQLiteBrokerStore(configuration: config)
        defer { store.close() }
        XCTAssertEqual(store.path, directory.file("mosquitto.sqlite"))
        XCTAssertEqual(try store.synchronousLevel(), 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("mosquitto.db")))
    }

    // MARK: Helpers

    private func waitUntilDurable(_ store: SQLiteBrokerStore, file: StaticString = #filePath, line: UInt = #line) {
        let durable = expectation(description: "durable")
        store.whenDurable { durable.fulfill() }
        wait(for: [durable], timeout: 10)
    }

    private func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    private func assertStoreError(path: String, contains words: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let store = try SQLiteBrokerStore(path: path)
            store.close()
            XCTFail("opened \(path)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("Persistence database \(path): "), error.description, file: file, line: line)
            XCTAssertTrue(error.reason.contains(words), error.reason, file: file, line: line)
        }
    }
}

/// A stored message with a text payload.
private func message(_ topic: String, _ payload: String, qos: QoS = .atMostOnce, retain: Bool = false,
                     properties: Properties = [], expiresAt: Date? = nil) -> StoredMessage {
    StoredMessage(topic: topic, payload: ByteBuffer(string: payload), qos: qos, retain: retain, properties: properties, expiresAt: expiresAt)
}

private func message(_ topic: String, _ payload: [UInt8], qos: QoS = .atMostOnce, properties: Properties = []) -> StoredMessage {
    StoredMessage(topic: topic, payload: ByteBuffer(bytes: payload), qos: qos, retain: false, properties: properties)
}

/// Names each kind of change; the switch fails to compile when a kind is added, so the
/// round-trip test has to learn about it.
private enum StoreChangeKind {
    static let count = 13
}

private func kind(_ change: StoreChange) -> String {
    switch change {
    case .setRetained: "setRetained"
    case .clearRetained: "clearRetained"
    case .putSession: "putSession"
    case .sessionDisconnected: "sessionDisconnected"
    case .deleteSession: "deleteSession"
    case .putSubscription: "putSubscription"
    case .removeSubscription: "removeSubscription"
    case .enqueue: "enqueue"
    case .markSent: "markSent"
    case .markReleased: "markReleased"
    case .removeOutgoing: "removeOutgoing"
    case .awaitRelease: "awaitRelease"
    case .releaseArrived: "releaseArrived"
    }
}

/// An array appended to from callbacks on the writer thread.
final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        storage.append(element)
        lock.unlock()
    }

    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

extension SQLiteBrokerStoreTests {
    func testAMessageEnqueuedAndSentInOneBatchComesBackWithItsPacketID() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.sqlite").path
        let message = StoredMessage(topic: "t", payload: ByteBuffer(string: "x"), qos: .atLeastOnce, retain: false)
        let store = try SQLiteBrokerStore(path: path)
        store.record(contentsOf: [
            .putSession(clientID: "c", expiryInterval: 60), .enqueue(clientID: "c", sequence: 5, message),
            .markSent(clientID: "c", sequence: 5, packetID: 42),
        ])
        store.close()
        let reopened = try SQLiteBrokerStore(path: path)
        defer { reopened.close() }
        XCTAssertEqual(try reopened.load().sessions.first?.outgoing, [StoredOutgoing(sequence: 5, message: message, packetID: 42)])
    }
}
