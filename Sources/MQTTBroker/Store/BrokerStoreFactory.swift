/// Opens the store `persistence true` asks for: SQLite in WAL mode next to where mosquitto keeps its file.
enum BrokerStoreFactory {
    static func open(configuration: BrokerConfiguration, log: BrokerLog,
                     observeCommit: (@Sendable (Duration) -> Void)? = nil) throws -> any BrokerStore {
        do {
            let store = try SQLiteBrokerStore(configuration: configuration, reportProblem: { problem in
                log.log(.error, "Error: persistence: \(problem)")
            }, observeCommit: observeCommit)
            log.log(.notice, "Persistence: \(SQLiteBrokerStore.databasePath(for: configuration)) (synchronous \(configuration.persistenceSync.rawValue)).")
            return store
        } catch {
            throw BrokerStartError.persistence("\(error)")
        }
    }
}
