import Foundation
import MQTTCore
import NIOCore

extension BrokerCore {
    static var versionText: String { "mqdash broker \(MQDashRelease.version)" }

    /// `$SYS/broker/...` like mosquitto's: retained, every `sys_interval` seconds, seen only by filters
    /// that name `$SYS` explicitly (a leading wildcard never matches `$` topics).
    func publishSystemTopics(now: Date) {
        let uptime = Int(now.timeIntervalSince(startedAt))
        let total = sessions.count
        let values: [(String, String)] = [
            ("version", Self.versionText),
            ("uptime", "\(uptime) seconds"),
            ("clients/connected", "\(statistics.connectedClients)"),
            ("clients/active", "\(statistics.connectedClients)"),
            ("clients/disconnected", "\(total - statistics.connectedClients)"),
            ("clients/inactive", "\(total - statistics.connectedClients)"),
            ("clients/total", "\(total)"),
            ("clients/maximum", "\(statistics.maximumConnectedClients)"),
            ("messages/received", "\(statistics.messagesReceived)"),
            ("bytes/received", "\(statistics.bytesReceived)"),
            ("bytes/sent", "\(statistics.bytesSent)"),
            ("messages/sent", "\(statistics.messagesSent)"),
            ("messages/stored", "\(retained.count + sessions.values.reduce(0) { $0 + $1.queue.count + $1.inflight.count })"),
            ("publish/messages/received", "\(statistics.publishReceived)"),
            ("publish/messages/sent", "\(statistics.publishSent)"),
            ("publish/messages/dropped", "\(statistics.publishDropped)"),
            ("retained messages/count", "\(retained.count)"),
            ("subscriptions/count", "\(subscriptions.count)"),
            ("store/messages/count", "\(sessions.values.reduce(0) { $0 + $1.queue.count + $1.inflight.count })"),
        ]
        for (name, value) in values {
            let message = StoredMessage(topic: "$SYS/broker/" + name, payload: ByteBuffer(string: value), qos: .atMostOnce, retain: true)
            route(message, from: nil)
        }
    }
}
