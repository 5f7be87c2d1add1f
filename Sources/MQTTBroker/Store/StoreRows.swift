import Foundation
import GRDB
import MQTTCore
import NIOCore

/// Turns `StoreChange`s into SQL and rows back into `StoredState`.
///
/// There are no foreign keys on purpose: every statement succeeds whatever the other tables
/// hold (an update of a missing row changes nothing), so one odd change never fails the batch
/// it was committed with. `deleteSession` removes the client's rows from every table itself.
enum StoreRows {
    /// Properties that cannot be encoded (a string over 64 KiB, which a decoded packet never
    /// has) are dropped from the stored message and reported, rather than failing the batch.
    /// `sentAs` is the packet id of an enqueued message already sent (its `markSent` folded in).
    static func apply(_ change: StoreChange, sentAs packetID: UInt16? = nil, in db: Database, report: (String) -> Void) throws {
        switch change {
        case .setRetained(let message):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO retained (topic, payload, qos, retain, properties, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [message.topic, blob(message.payload), message.qos.rawValue, message.retain,
                                         propertyBytes(message, report: report), message.expiresAt?.timeIntervalSince1970])
        case .clearRetained(let topic):
            try db.cachedStatement(sql: "DELETE FROM retained WHERE topic = ?").execute(arguments: [topic])
        case .putSession(let clientID, let expiryInterval, let username):
            try db.cachedStatement(sql: """
                INSERT INTO session (client_id, expiry_interval, disconnected_at, username) VALUES (?, ?, NULL, ?)
                ON CONFLICT (client_id) DO UPDATE SET expiry_interval = excluded.expiry_interval, disconnected_at = NULL,
                    username = excluded.username
                """).execute(arguments: [clientID, Int64(expiryInterval), username])
        case .sessionDisconnected(let clientID, let date):
            try db.cachedStatement(sql: "UPDATE session SET disconnected_at = ? WHERE client_id = ?")
                .execute(arguments: [date.timeIntervalSince1970, clientID])
        case .deleteSession(let clientID):
            for table in ["session", "subscription", "outgoing", "awaiting_release"] {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE client_id = ?").execute(arguments: [clientID])
            }
        case .putSubscription(let clientID, let subscription):
            // An upsert keeps the row (and its rowid, so the subscription order) of a re-subscription.
            let options = subscription.options
            try db.cachedStatement(sql: """
                INSERT INTO subscription (client_id, filter, qos, no_local, retain_as_published, retain_handling, identifier)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (client_id, filter) DO UPDATE SET qos = excluded.qos, no_local = excluded.no_local,
                    retain_as_published = excluded.retain_as_published, retain_handling = excluded.retain_handling,
                    identifier = excluded.identifier
                """).execute(arguments: [clientID, subscription.filter, options.qos.rawValue, options.noLocal,
                                         options.retainAsPublished, options.retainHandling.rawValue, subscription.identifier])
        case .removeSubscription(let clientID, let filter):
            try db.cachedStatement(sql: "DELETE FROM subscription WHERE client_id = ? AND filter = ?")
                .execute(arguments: [clientID, filter])
        case .enqueue(let clientID, let sequence, let message):
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO outgoing (client_id, sequence, topic, payload, qos, retain, properties, expires_at, packet_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [clientID, sequence, message.topic, blob(message.payload), message.qos.rawValue,
                                         message.retain, propertyBytes(message, report: report),
                                         message.expiresAt?.timeIntervalSince1970, packetID])
        case .markSent(let clientID, let sequence, let packetID):
            try db.cachedStatement(sql: "UPDATE outgoing SET packet_id = ? WHERE client_id = ? AND sequence = ?")
                .execute(arguments: [packetID, clientID, sequence])
        case .markReleased(let clientID, let sequence):
            try db.cachedStatement(sql: "UPDATE outgoing SET released = 1 WHERE client_id = ? AND sequence = ?")
                .execute(arguments: [clientID, sequence])
        case .removeOutgoing(let clientID, let sequence):
            try db.cachedStatement(sql: "DELETE FROM outgoing WHERE client_id = ? AND sequence = ?")
                .execute(arguments: [clientID, sequence])
        case .awaitRelease(let clientID, let packetID):
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO awaiting_release (client_id, packet_id) VALUES (?, ?)")
                .execute(arguments: [clientID, packetID])
        case .releaseArrived(let clientID, let packetID):
            try db.cachedStatement(sql: "DELETE FROM awaiting_release WHERE client_id = ? AND packet_id = ?")
                .execute(arguments: [clientID, packetID])
        }
    }

    /// Everything in the database; sessions by client id, each with its queue by sequence and its
    /// subscriptions and pending releases in the order they were first stored. Rows of clients
    /// without a session row (only a broker bug could leave them) are ignored.
    static func load(_ db: Database) throws -> StoredState {
        var state = StoredState()
        for row in try Row.fetchAll(db, sql: "SELECT topic, payload, qos, retain, properties, expires_at FROM retained ORDER BY topic") {
            state.retained.append(try message(row, at: 0))
        }
        var sessions: [String: StoredSession] = [:]
        var order: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT client_id, expiry_interval, disconnected_at, username FROM session ORDER BY client_id") {
            let clientID: String = row[0]
            guard let interval = UInt32(exactly: row[1] as Int64) else { throw corrupt("session \(clientID) has expiry interval \(row[1] as Int64)") }
            sessions[clientID] = StoredSession(clientID: clientID, expiryInterval: interval, disconnectedAt: date(row[2]), username: row[3])
            order.append(clientID)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT client_id, filter, qos, no_local, retain_as_published, retain_handling, identifier
            FROM subscription ORDER BY rowid
            """) {
            let clientID: String = row[0]
            guard sessions[clientID] != nil else { continue }
            guard let handling = RetainHandling(rawValue: row[5]) else { throw corrupt("subscription \(row[1] as String) has retain handling \(row[5] as Int)") }
            let options = SubscriptionOptions(qos: try qos(row[2]), noLocal: row[3], retainAsPublished: row[4], retainHandling: handling)
            sessions[clientID]?.subscriptions.append(StoredSubscription(filter: row[1], options: options, identifier: row[6]))
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT client_id, sequence, packet_id, released, topic, payload, qos, retain, properties, expires_at
            FROM outgoing ORDER BY client_id, sequence
            """) {
            let clientID: String = row[0]
            guard sessions[clientID] != nil else { continue }
            let outgoing = StoredOutgoing(sequence: row[1], message: try message(row, at: 4), packetID: row[2], released: row[3])
            sessions[clientID]?.outgoing.append(outgoing)
        }
        for row in try Row.fetchAll(db, sql: "SELECT client_id, packet_id FROM awaiting_release ORDER BY rowid") {
            let clientID: String = row[0]
            guard sessions[clientID] != nil else { continue }
            sessions[clientID]?.awaitingRelease.append(row[1])
        }
        state.sessions = order.compactMap { sessions[$0] }
        return state
    }

    /// A reason `load` cannot go on, turned into a `StoreError` with the path by the caller.
    struct CorruptRow: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Columns

    private static func blob(_ buffer: ByteBuffer) -> Data {
        Data(buffer.readableBytesView)
    }

    private static func propertyBytes(_ message: StoredMessage, report: (String) -> Void) -> Data {
        do {
            return Data(try message.properties.storageBytes())
        } catch {
            report("properties of a message on \(message.topic) not stored: \(error)")
            return Data([0])
        }
    }

    /// Reads topic, payload, qos, retain, properties and expires_at from six columns starting at `index`.
    private static func message(_ row: Row, at index: Int) throws -> StoredMessage {
        let topic: String = row[index]
        let payload: Data = row[index + 1]
        let propertyData: Data = row[index + 4]
        let properties: Properties
        do {
            properties = try Properties(storageBytes: propertyData)
        } catch {
            throw corrupt("message on \(topic) has unreadable properties (\(error))")
        }
        return StoredMessage(topic: topic, payload: ByteBuffer(bytes: payload), qos: try qos(row[index + 2]),
                             retain: row[index + 3], properties: properties, expiresAt: date(row[index + 5]))
    }

    private static func qos(_ value: Int) throws -> QoS {
        guard let byte = UInt8(exactly: value), let qos = QoS(rawValue: byte) else { throw corrupt("QoS \(value)") }
        return qos
    }

    private static func date(_ seconds: Double?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: $0) }
    }

    private static func corrupt(_ what: String) -> CorruptRow {
        CorruptRow(description: "unexpected row content: \(what)")
    }
}
