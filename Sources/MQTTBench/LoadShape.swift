import Foundation
import MQTTCore

/// A flag value `LoadShape` refuses; the message names the flag (the commands show it as a usage error).
public struct LoadShapeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What `bench pub` / `bench sub` generate, checked once so that the run itself cannot meet a bad value.
public struct LoadShape: Sendable, Equatable {
    /// A forgotten --duration and --count still ends: after this many seconds...
    static let defaultDuration: Double = 10
    /// ...or, when only --count is given, after this many (a broker that stops acknowledging ends the run too).
    static let countSafetyDuration: Double = 600
    public static let maximumDuration: Double = 86_400

    var publishers: Int
    var subscribers: Int
    var payloadSize: Int
    var qos: QoS
    /// Topic pattern; `%i` becomes the publisher's index.
    var topic: String
    /// Filter pattern; `%i` becomes the subscriber's index.
    var filter: String
    /// Messages per second per publisher; nil: as fast as the connection (and the in-flight window) allows.
    var rate: Double?
    /// Unacknowledged QoS 1/2 messages a publisher may have at once.
    var inflight: Int
    /// Seconds of publishing, at most.
    var duration: Double
    /// Messages per publisher, at most.
    var count: Int?

    /// Checks the flags and fills the defaults; every refusal names the flag.
    public init(
        publishers: Int, subscribers: Int, payloadSize: Int, qos: UInt8, topic: String, filter: String?,
        intervalMilliseconds: Double?, rate: Double?, inflight: Int, duration: Double?, count: Int?
    ) throws(LoadShapeError) {
        guard (0...1_000_000).contains(publishers) else { throw LoadShapeError("-c/--publishers must be between 0 and 1000000.") }
        guard (0...1_000_000).contains(subscribers) else { throw LoadShapeError("--subscribers must be between 0 and 1000000.") }
        guard publishers + subscribers > 0 else { throw LoadShapeError("Nothing to do: no publishers and no subscribers.") }
        guard (BenchPayloadHeader.size...100_000_000).contains(payloadSize) else {
            throw LoadShapeError(
                "-s/--size must be between \(BenchPayloadHeader.size) and 100000000 bytes (the first \(BenchPayloadHeader.size) carry the send time and a sequence number).")
        }
        guard let qosValue = QoS(rawValue: qos) else { throw LoadShapeError("Invalid QoS \(qos), must be 0, 1 or 2.") }
        if intervalMilliseconds != nil && rate != nil { throw LoadShapeError("Give either -I/--interval or --rate, not both.") }
        if let intervalMilliseconds, !(intervalMilliseconds > 0 && intervalMilliseconds <= 3_600_000) {
            throw LoadShapeError("-I/--interval must be more than 0 and at most 3600000 ms.")
        }
        if let rate, !(rate > 0 && rate <= 10_000_000) { throw LoadShapeError("--rate must be more than 0 and at most 10000000 messages/s.") }
        guard (1...65_535).contains(inflight) else { throw LoadShapeError("--inflight must be between 1 and 65535.") }
        if let duration, !(duration > 0 && duration <= Self.maximumDuration) {
            throw LoadShapeError("--duration must be more than 0 and at most \(Int(Self.maximumDuration)) seconds.")
        }
        if let count, count < 1 { throw LoadShapeError("--count must be at least 1.") }

        let filter = filter ?? topic
        do throws(TopicValidationError) { try Topic.validateName(Self.substitute(topic, index: 0)) } catch {
            throw LoadShapeError("Invalid topic '\(topic)': \(error)")
        }
        do throws(TopicValidationError) { try Topic.validateFilter(Self.substitute(filter, index: 0)) } catch {
            throw LoadShapeError("Invalid filter '\(filter)': \(error)")
        }
        self.publishers = publishers
        self.subscribers = subscribers
        self.payloadSize = payloadSize
        self.qos = qosValue
        self.topic = topic
        self.filter = filter
        self.rate = rate ?? intervalMilliseconds.map { 1000 / $0 }
        self.inflight = inflight
        self.duration = duration ?? (count == nil ? Self.defaultDuration : Self.countSafetyDuration)
        self.count = count
    }

    func topic(forPublisher index: Int) -> String { Self.substitute(topic, index: index) }
    func filter(forSubscriber index: Int) -> String { Self.substitute(filter, index: index) }

    /// `%i` replaced by the client's index, as emqtt-bench does.
    static func substitute(_ pattern: String, index: Int) -> String {
        pattern.contains("%i") ? pattern.replacingOccurrences(of: "%i", with: String(index)) : pattern
    }

    /// For each publisher, how many of the `subscriberCount` subscribers receive its messages.
    func receiversPerPublisher(subscriberCount: Int) -> [Int] {
        var filters: [String: Int] = [:]
        for index in 0..<subscriberCount { filters[filter(forSubscriber: index), default: 0] += 1 }
        var cache: [String: Int] = [:]
        return (0..<publishers).map { index in
            let topic = topic(forPublisher: index)
            if let known = cache[topic] { return known }
            let receivers = filters.reduce(0) { sum, entry in Topic.matches(filter: entry.key, topic: topic) ? sum + entry.value : sum }
            cache[topic] = receivers
            return receivers
        }
    }
}
