/// Counters behind `$SYS/broker/...`, named as mosquitto names its topics.
struct BrokerStatistics {
    var messagesReceived: UInt64 = 0
    var messagesSent: UInt64 = 0
    var publishReceived: UInt64 = 0
    var publishSent: UInt64 = 0
    var publishDropped: UInt64 = 0
    var bytesReceived: UInt64 = 0
    var bytesSent: UInt64 = 0
    var connectedClients = 0
    var maximumConnectedClients = 0
    var connectionsRefused: UInt64 = 0
    var malformedPackets: UInt64 = 0

    mutating func clientConnected() {
        connectedClients += 1
        maximumConnectedClients = max(maximumConnectedClients, connectedClients)
    }
}
