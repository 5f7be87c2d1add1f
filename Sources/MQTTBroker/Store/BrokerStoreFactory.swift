// Until the SQLite store lands (branch `persist`), `persistence true` is refused at start-up.
enum BrokerStoreFactory {
    static func open(configuration: BrokerConfiguration) throws -> any BrokerStore {
        throw BrokerStartError.persistence("this build has no persistence store yet")
    }
}
