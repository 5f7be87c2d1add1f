// Release-mode measurement of the SQLite store's group commit: producers enqueue QoS 1
// messages and wait, like a broker acknowledging them, for a whenDurable per message.
// Run: swift build -c release --product store-bench && .build/release/store-bench [MESSAGES]
// (`store-bench crash-child PATH` is the process SQLiteCrashTests kills; see CrashChild.)
//
// Each producer stands for one client with a window of `batch` unacknowledged messages: it
// records a batch (an enqueue and a whenDurable each), waits for the batch's last callback,
// and goes on. Producers overlap, so the writer commits their batches together.
import Foundation
import MQTTBroker
import MQTTCore
import NIOCore

// A test helper, not a measurement: see CrashChild.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "crash-child", arguments.count >= 2 {
    CrashChild.run(path: arguments[1], sync: arguments.count > 2 && arguments[2] == "full" ? .full : .normal)
}

let total = arguments.first.flatMap(Int.init) ?? 100_000

struct Row {
    var sync: BrokerConfiguration.PersistenceSync
    var producers: Int
    var batch: Int
    var seconds: Double
    var commits: Int
}

func run(sync: BrokerConfiguration.PersistenceSync, producers: Int, batch: Int) throws -> Row {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try SQLiteBrokerStore(path: folder.appendingPathComponent("bench.sqlite").path, sync: sync)
    let payload = ByteBuffer(repeating: 0x61, count: 64)
    let perProducer = total / producers
    for producer in 0..<producers { store.record(.putSession(clientID: "bench-\(producer)", expiryInterval: 3600)) }
    let ready = DispatchSemaphore(value: 0)
    store.whenDurable { ready.signal() }
    ready.wait()
    let commitsBefore = store.commitCount

    @Sendable func produce(_ producer: Int) {
        let client = "bench-\(producer)"
        let window = DispatchSemaphore(value: 0)
        var sequence: Int64 = 0
        while sequence < Int64(perProducer) {
            let end = min(sequence + Int64(batch), Int64(perProducer))
            let acknowledged = AckCounter(expected: Int(end - sequence), done: window)
            while sequence < end {
                let message = StoredMessage(topic: "bench/\(producer)", payload: payload, qos: .atLeastOnce, retain: false)
                store.record(.enqueue(clientID: client, sequence: sequence, message))
                store.whenDurable { acknowledged.ack() }
                sequence += 1
            }
            window.wait()
        }
    }

    let started = DispatchTime.now().uptimeNanoseconds
    // One thread per producer (concurrentPerform would run only as many at once as there are cores).
    let finished = DispatchGroup()
    for producer in 0..<producers {
        finished.enter()
        Thread {
            produce(producer)
            finished.leave()
        }.start()
    }
    finished.wait()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let commits = store.commitCount - commitsBefore
    store.close()
    return Row(sync: sync, producers: producers, batch: batch, seconds: seconds, commits: commits)
}

/// Counts the acknowledgements of one batch and signals when the last one arrives.
final class AckCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private let done: DispatchSemaphore

    init(expected: Int, done: DispatchSemaphore) {
        remaining = expected
        self.done = done
    }

    func ack() {
        lock.lock()
        remaining -= 1
        let finished = remaining == 0
        lock.unlock()
        if finished { done.signal() }
    }
}

// Each configuration runs three times; the table shows the median run (the machine is shared).
let repetitions = 3
print("| sync | producers | window | messages/s (median of \(repetitions)) | min | max | messages/commit |")
print("|---|---:|---:|---:|---:|---:|---:|")
for sync in [BrokerConfiguration.PersistenceSync.normal, .full] {
    for (producers, batch) in [(1, 100), (4, 100), (16, 100), (16, 10), (64, 10)] {
        var rows = try (0..<repetitions).map { _ in try run(sync: sync, producers: producers, batch: batch) }
        rows.sort { $0.seconds > $1.seconds }
        let messages = Double(total - total % producers)
        let rates = rows.map { messages / $0.seconds }
        let median = rows[repetitions / 2]
        let perCommit = messages / Double(max(median.commits, 1))
        print("| \(sync.rawValue) | \(producers) | \(batch) | \(Int(rates[repetitions / 2])) | \(Int(rates.first!)) | \(Int(rates.last!)) | \(String(format: "%.1f", perCommit)) |")
    }
}
