import Foundation
import MQTTBroker
import MQTTCore
import NIOCore

/// `store-bench crash-child PATH [SYNC]`: the process a test kills with SIGKILL. It enqueues QoS 1
/// messages for client "crash" as fast as it can (windows of 100, like `run`) and prints each
/// sequence number on its own line once `whenDurable` vouches for it, so the test knows exactly
/// what was acknowledged before the kill. Stops by itself after 30 s or a million messages.
enum CrashChild {
    static func run(path: String, sync: BrokerConfiguration.PersistenceSync) -> Never {
        let store: SQLiteBrokerStore
        do {
            store = try SQLiteBrokerStore(path: path, sync: sync)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
        store.record(.putSession(clientID: "crash", expiryInterval: UInt32.max))
        let payload = ByteBuffer(repeating: 0x63, count: 32)
        let deadline = Date(timeIntervalSinceNow: 30)
        let window = DispatchSemaphore(value: 0)
        var sequence: Int64 = 0
        while sequence < 1_000_000 && Date() < deadline {
            let end = sequence + 100
            while sequence < end {
                let confirmed = sequence
                store.record(.enqueue(clientID: "crash", sequence: sequence,
                                      StoredMessage(topic: "crash/\(sequence)", payload: payload, qos: .atLeastOnce, retain: false)))
                store.whenDurable {
                    FileHandle.standardOutput.write(Data("\(confirmed)\n".utf8))
                    if confirmed == end - 1 { window.signal() }
                }
                sequence += 1
            }
            window.wait()
        }
        store.close()
        exit(0)
    }
}
