import BenchSupport
import MQTTCore

/// One million distinct topics matched against 10 000 filters of a vehicle-fleet telemetry tree:
/// 70 % exact filters, 20 % with `+`, 10 % with `#` (a few of them region-wide). Topics are all distinct, so this measures
/// matching with cold-ish per-topic work rather than the same few topics from cache.
enum TrieMatchBenchmark {
    static let regions = 20
    static let vehicles = 5_000
    static let subsystems = ["engine", "battery", "gps", "doors", "tyres", "cabin", "brakes", "lights"]
    static let metrics = ["temp", "voltage", "state", "pressure", "speed", "level"]

    /// A small deterministic generator, so every run matches the same sets.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func filters() -> [String] {
        var random = Generator(state: 1)
        func region() -> Int { random.next(regions) }
        func vehicle() -> String { "v\(random.next(vehicles))" }
        func subsystem() -> String { subsystems[random.next(subsystems.count)] }
        func metric() -> String { metrics[random.next(metrics.count)] }
        var filters: [String] = []
        for _ in 0..<7_000 { filters.append("fleet/r\(region())/\(vehicle())/\(subsystem())/\(metric())") }
        for index in 0..<2_000 {
            switch index % 3 {
            case 0: filters.append("fleet/r\(region())/+/\(subsystem())/\(metric())")
            case 1: filters.append("fleet/+/\(vehicle())/\(subsystem())/+")
            default: filters.append("fleet/r\(region())/\(vehicle())/+/\(metric())")
            }
        }
        for index in 0..<1_000 {
            switch index % 10 {
            case 0 where index % 100 == 0: filters.append("fleet/r\(region())/#")
            case 0...6: filters.append("fleet/r\(region())/\(vehicle())/#")
            default: filters.append("fleet/r\(region())/\(vehicle())/\(subsystem())/#")
            }
        }
        return filters
    }

    static func topics(count: Int) -> [String] {
        var random = Generator(state: 2)
        var seen: Set<String> = []
        var topics: [String] = []
        topics.reserveCapacity(count)
        while topics.count < count {
            let topic = "fleet/r\(random.next(regions))/v\(random.next(vehicles))/\(subsystems[random.next(subsystems.count)])/\(metrics[random.next(metrics.count)])"
            if seen.insert(topic).inserted { topics.append(topic) }
        }
        return topics
    }

    static func run() -> (result: BenchResult, deliveriesPerTopic: Double) {
        var trie = SubscriptionTrie<Int, Int>()
        for (index, filter) in filters().enumerated() { _ = try! trie.insert(filter: filter, key: index, value: index) }
        let topics = topics(count: 1_000_000)
        var deliveries = 0
        let result = measure("SubscriptionTrie 1M topics x 10k filters", unit: "topics", operations: topics.count, rounds: 3) {
            var delivered = 0
            for topic in topics { trie.forEachMatch(topic: topic) { delivered &+= 1 &+ ($0.value & 0) } }
            deliveries = delivered
            blackHole(delivered)
        }
        return (result, Double(deliveries) / Double(topics.count))
    }
}
