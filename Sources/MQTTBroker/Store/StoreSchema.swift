import GRDB

/// The tables of the persistence database and the steps from one version to the next.
///
/// The version lives in SQLite's `user_version`. Each step in `migrations` turns version `i` into
/// `i + 1` and runs in the same transaction as the version bump, so a crash leaves either the
/// old or the new schema. A database of a later version than this code knows is refused, not
/// guessed at.
enum StoreSchema {
    static let migrations: [@Sendable (Database) throws -> Void] = [createVersion1, addSessionUsername]

    static var currentVersion: Int { migrations.count }

    /// Brings the database to `currentVersion`; throws a reason when it is from a newer mqdash.
    static func migrate(_ db: Database, path: String) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        guard version <= currentVersion else {
            throw StoreError(path: path, reason: "written by a newer mqdash (schema version \(version), this one knows up to \(currentVersion))")
        }
        for step in version..<currentVersion {
            try db.inTransaction(.immediate) {
                try migrations[step](db)
                // PRAGMA takes no bound parameters; the value is our own integer.
                try db.execute(sql: "PRAGMA user_version = \(step + 1)")
                return .commit
            }
        }
    }

    /// Dates are REAL seconds since 1970 (readable with sqlite3's `datetime(x, 'unixepoch')`);
    /// properties are MQTT v5 wire bytes (`Properties.storageBytes()`); QoS and flags are integers.
    private static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE retained (
                topic TEXT PRIMARY KEY NOT NULL,
                payload BLOB NOT NULL,
                qos INTEGER NOT NULL,
                retain INTEGER NOT NULL,
                properties BLOB NOT NULL,
                expires_at REAL
            );
            CREATE TABLE session (
                client_id TEXT PRIMARY KEY NOT NULL,
                expiry_interval INTEGER NOT NULL,
                disconnected_at REAL
            );
            CREATE TABLE subscription (
                client_id TEXT NOT NULL,
                filter TEXT NOT NULL,
                qos INTEGER NOT NULL,
                no_local INTEGER NOT NULL,
                retain_as_published INTEGER NOT NULL,
                retain_handling INTEGER NOT NULL,
                identifier INTEGER,
                PRIMARY KEY (client_id, filter)
            );
            CREATE TABLE outgoing (
                client_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL,
                qos INTEGER NOT NULL,
                retain INTEGER NOT NULL,
                properties BLOB NOT NULL,
                expires_at REAL,
                packet_id INTEGER,
                released INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (client_id, sequence)
            );
            CREATE TABLE awaiting_release (
                client_id TEXT NOT NULL,
                packet_id INTEGER NOT NULL,
                PRIMARY KEY (client_id, packet_id)
            );
            """)
    }

    /// Version 2: the user name a session logged in with, so that a restored session's deliveries are
    /// checked against that user's ACL rather than the anonymous ones (NULL: anonymous, or a version-1 row).
    private static func addSessionUsername(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE session ADD COLUMN username TEXT")
    }
}
