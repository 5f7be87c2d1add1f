#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MQTTCore

/// Release-mode throughput of `SubscriptionTrie.forEachMatch` against 10 000 filters.
///
/// Run with `swift run -c release core-bench` once main.swift calls `TrieBenchmark.run()`.
/// The target the design asks for is at least 2 million topic matches per second.
enum TrieBenchmark {
    static func run() {
        report("building tree, 10k filters (exact, +, #)", filters: buildingFilters(), topics: buildingTopics())
        report("10k device siblings, 36-byte ids", filters: deviceFilters(), topics: deviceTopics())
    }

    private static func report(_ name: String, filters: [String], topics: [String]) {
        var trie = SubscriptionTrie<Int, UInt8>()
        for (index, filter) in filters.enumerated() {
            try! trie.insert(filter: filter, key: index, value: 0)
        }
        // Warm up, then time enough rounds to last about a second.
        var delivered = 0
        for topic in topics { trie.forEachMatch(topic: topic) { _ in delivered += 1 } }
        let rounds = 100
        let clock = ContinuousClock()
        delivered = 0
        let cpuStart = threadCPUSeconds()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for topic in topics {
                    trie.forEachMatch(topic: topic) { delivered &+= Int($0.value) &+ 1 }
                }
            }
        }
        let cpu = threadCPUSeconds() - cpuStart
        let matched = Double(rounds * topics.count)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // On a busy machine wall time undercounts; CPU time of this thread is the fairer rate.
        print("trie: \(name): \(trie.count) filters, \(Double(delivered) / matched) deliveries per topic, "
              + "\(Int(matched / seconds)) topics/s wall, \(Int(matched / cpu)) topics/s of CPU, "
              + "\(Int(cpu * 1e9 / matched)) ns CPU/topic")
    }

    private static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `site/<s>/building/<b>/floor/<f>/<sensor>` with a mix of wildcard subscriptions.
    private static func buildingFilters() -> [String] {
        var filters: [String] = []
        let sensors = ["temperature", "humidity", "co2", "occupancy", "light"]
        for index in 0..<8_000 {
            filters.append("site/\(index % 10)/building/\(index % 40)/floor/\(index % 16)/room-\(index)/\(sensors[index % 5])")
        }
        for index in 0..<1_500 {
            filters.append("site/\(index % 10)/building/\(index % 40)/floor/+/room-\(index)/+")
        }
        for index in 0..<480 {
            filters.append("site/\(index % 10)/building/\(index)/#")
        }
        for index in 0..<18 {
            filters.append("+/\(index)/building/+/floor/+/+/temperature")
        }
        filters.append("#")
        filters.append("$SYS/#")
        return filters
    }

    private static func buildingTopics() -> [String] {
        let sensors = ["temperature", "humidity", "co2", "occupancy", "light", "noise"]
        return (0..<10_000).map { index in
            "site/\(index % 10)/building/\(index % 40)/floor/\(index % 16)/room-\(index * 7 % 9_000)/\(sensors[index % 6])"
        }
    }

    private static func deviceID(_ index: Int) -> String {
        let hex = String(UInt64(index) &* 0x9e37_79b9_7f4a_7c15, radix: 16)
        return "dev-" + String(repeating: "0", count: 16 - hex.count) + hex + "-0123456789ab"
    }

    private static func deviceFilters() -> [String] {
        (0..<9_999).map { "devices/\(deviceID($0))/state" } + ["devices/+/state"]
    }

    private static func deviceTopics() -> [String] {
        (0..<10_000).map { "devices/\(deviceID($0 * 3))/state" }
    }
}
