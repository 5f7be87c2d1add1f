import Foundation
import GRDB

/// `BrokerStore` on an SQLite database in WAL mode (through GRDB), with group commit.
///
/// Durability follows `BrokerConfiguration.PersistenceSync`: with `.normal` (SQLite
/// `synchronous=NORMAL`) a change is durable once its transaction is in the WAL file, which
/// survives the process being killed but maybe not a power cut; with `.full` every commit is
/// fsynced. Either way `whenDurable` callbacks run only after the commit that holds every
/// change recorded before them, on the writer thread.
public final class SQLiteBrokerStore: BrokerStore {
    public let path: String
    public let sync: BrokerConfiguration.PersistenceSync
    private let database: DatabaseQueue
    private let writer: GroupCommitWriter<StoreChange>

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    /// `reportProblem` hears about failed commits (they are retried) and changes stored partly;
    /// by default it writes one line to standard error.
    /// `observeCommit` hears how long each committed transaction took (for the metrics' histogram), on the
    /// writer thread.
    public init(path: String, sync: BrokerConfiguration.PersistenceSync = .normal,
                reportProblem: @escaping @Sendable (StoreError) -> Void = SQLiteBrokerStore.printProblem,
                observeCommit: (@Sendable (Duration) -> Void)? = nil) throws(StoreError) {
        self.path = path
        self.sync = sync
        database = try Self.open(path: path, sync: sync)
        let database = database
        writer = GroupCommitWriter(
            name: "mqdash-store-writer", patience: Self.patience,
            commit: { batch in
                let started = ContinuousClock.now
                defer { observeCommit?(ContinuousClock.now - started) }
                let (changes, packetIDs) = StoreBatchCoalescing.foldingSendsIntoEnqueues(StoreBatchCoalescing.coalesced(batch))
                try database.write { db in
                    for change in changes {
                        var packetID: UInt16?
                        if case .enqueue(let clientID, let sequence, _) = change {
                            packetID = packetIDs[StoreBatchCoalescing.OutgoingKey(clientID: clientID, sequence: sequence)]
                        }
                        try StoreRows.apply(change, sentAs: packetID, in: db) { reportProblem(StoreError(path: path, reason: $0)) }
                    }
                }
            },
            reportFailure: { reportProblem(StoreError(path: path, $0)) })
    }

    /// Opens the database the configuration names (see `databasePath(for:)`).
    public convenience init(configuration: BrokerConfiguration,
                            reportProblem: @escaping @Sendable (StoreError) -> Void = SQLiteBrokerStore.printProblem,
                            observeCommit: (@Sendable (Duration) -> Void)? = nil) throws(StoreError) {
        try self.init(path: Self.databasePath(for: configuration), sync: configuration.persistenceSync, reportProblem: reportProblem,
                      observeCommit: observeCommit)
    }

    /// `persistence_location` + `persistence_file` with the file's extension replaced by `.sqlite`
    /// (mosquitto.db becomes mosquitto.sqlite). The name mosquitto would use is never ours: a real
    /// mosquitto started on the same configuration would misread an SQLite file as its own format.
    /// A `persistence_file` that already ends in `.sqlite` gets `.mqdash.sqlite` for the same reason.
    public static func databasePath(for configuration: BrokerConfiguration) -> String {
        let file = configuration.persistenceFile
        let stem: String
        if let dot = file.lastIndex(of: "."), dot != file.startIndex, !file[dot...].contains("/") {
            stem = String(file[..<dot])
        } else {
            stem = file
        }
        let name = file.hasSuffix(".sqlite") ? stem + ".mqdash.sqlite" : stem + ".sqlite"
        // mosquitto glues location and file together (so the location should end in "/");
        // adding the missing slash here is kinder than a file named "mosquittomosquitto.sqlite".
        guard let location = configuration.persistenceLocation, !location.isEmpty else { return name }
        return location.hasSuffix("/") ? location + name : location + "/" + name
    }

    public func load() throws(StoreError) -> StoredState {
        do {
            return try database.read(StoreRows.load)
        } catch {
            throw StoreError(path: path, error)
        }
    }

    /// How long a batch nobody waits for in a hurry stays open. A bridge's remote or a connected subscriber
    /// acknowledges within about a millisecond here, so most messages they carry are queued and acknowledged in
    /// the same batch and never written (measured: 3 ms took the bridge's store work per message from ~25 us
    /// to ~0; see BENCHMARKS.md, Bridges). What needs a commit (a retained message, a QoS 2 id, a copy queued
    /// for an offline session) asks for it urgently and is not delayed.
    static let patience: TimeInterval = 0.003

    public func record(_ change: StoreChange) {
        writer.record(change)
    }

    /// Records several changes with one lock round trip.
    public func record(contentsOf changes: some Sequence<StoreChange>) {
        writer.record(contentsOf: changes)
    }

    public func whenDurable(_ durable: @escaping @Sendable () -> Void) {
        writer.whenDurable(durable)
    }

    public func whenDurable(urgent: Bool, _ durable: @escaping @Sendable () -> Void) {
        writer.whenDurable(urgent: urgent, durable)
    }

    public var isFallingBehind: Bool { writer.isFallingBehind }

    deinit {
        close()
    }

    /// Transactions committed so far; recorded changes divided by this is the mean batch size.
    public var commitCount: Int { writer.commitCount }

    /// Commits what is buffered, stops the writer thread and closes the database. Changes
    /// recorded afterwards are dropped and their `whenDurable` callbacks never run. Safe to call
    /// twice; also called when the store is released.
    public func close() {
        // From a whenDurable callback the writer is still running: the connection then closes
        // when the writer lets go of it.
        guard writer.close() else { return }
        // Throws only while a statement is still open, which the writer's transactions never leave.
        try? database.close()
    }

    /// SQLite's `synchronous` level on the store's own connection (1 NORMAL, 2 FULL), for tests.
    func synchronousLevel() throws -> Int {
        try database.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    public static let printProblem: @Sendable (StoreError) -> Void = { problem in
        FileHandle.standardError.write(Data("Error: \(problem)\n".utf8))
    }

    private static func open(path: String, sync: BrokerConfiguration.PersistenceSync) throws(StoreError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.label = "mqdash-store"
        // The writer thread holds the only write connection; a reader (sqlite3, a test) may
        // briefly hold a lock, so wait a little rather than fail a commit at once.
        configuration.busyMode = .timeout(5)
        // Messages may be private: a new database is readable by its owner only, as mosquitto's
        // own file is. SQLite gives the -wal and -shm files the same mode, and reads an empty
        // file as an empty database. (Failure here shows up as SQLite's open error below.)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw StoreError(path: path, reason: "cannot switch to WAL journal mode (got \(mode ?? "nothing"))")
                }
                try db.execute(sql: sync == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
                try StoreSchema.migrate(db, path: path)
            }
            return queue
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: path, error)
        }
    }
}
