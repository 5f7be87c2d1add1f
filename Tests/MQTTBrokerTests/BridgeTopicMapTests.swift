import MQTTCore
import XCTest

@testable import MQTTBroker

/// mosquitto's topic rules for bridges: direction, the first matching rule, prefixes swapped.
final class BridgeTopicMapTests: XCTestCase {
    private func rule(_ pattern: String, _ direction: BridgeConfiguration.Direction, _ qos: QoS = .atLeastOnce,
                      local: String = "", remote: String = "") -> BridgeConfiguration.TopicRule {
        BridgeConfiguration.TopicRule(pattern: pattern, direction: direction, qos: qos, localPrefix: local, remotePrefix: remote)
    }

    func testPrefixesAreSwappedAndDirectionsRespected() {
        let map = BridgeTopicMap(rules: [
            rule("sensors/#", .out, local: "home/", remote: "site/"),
            rule("commands/#", .in, .exactlyOnce, local: "home/", remote: "site/"),
            rule("both/+", .both, .atMostOnce),
        ])
        XCTAssertEqual(map.remote(forLocal: "home/sensors/livingroom/temp")?.topic, "site/sensors/livingroom/temp")
        XCTAssertNil(map.remote(forLocal: "home/commands/valve"), "an in rule does not carry messages out")
        XCTAssertNil(map.remote(forLocal: "sensors/t"), "the local prefix is part of the filter")
        XCTAssertEqual(map.local(forRemote: "site/commands/valve")?.topic, "home/commands/valve")
        XCTAssertEqual(map.local(forRemote: "site/commands/valve")?.qos, .exactlyOnce)
        XCTAssertNil(map.local(forRemote: "site/sensors/t"), "an out rule does not carry messages in")
        XCTAssertEqual(map.remote(forLocal: "both/x")?.topic, "both/x")
        XCTAssertEqual(map.local(forRemote: "both/x")?.topic, "both/x")
        XCTAssertEqual(map.localSubscriptions.map(\.localFilter), ["home/sensors/#", "both/+"])
        XCTAssertEqual(map.remoteSubscriptions.map(\.remoteFilter), ["site/commands/#", "both/+"])
    }

    func testAnEmptyPatternBridgesExactlyThePrefixesTopic() {
        let map = BridgeTopicMap(rules: [rule("", .both, local: "local/status", remote: "remote/status")])
        XCTAssertEqual(map.remote(forLocal: "local/status")?.topic, "remote/status")
        XCTAssertEqual(map.local(forRemote: "remote/status")?.topic, "local/status")
        XCTAssertNil(map.remote(forLocal: "local/status/x"))
    }

    func testTheFirstMatchingRuleWins() {
        let map = BridgeTopicMap(rules: [rule("a/#", .out, local: "x/", remote: "first/"), rule("#", .out, remote: "second/")])
        XCTAssertEqual(map.remote(forLocal: "x/a/b")?.topic, "first/a/b")
        XCTAssertEqual(map.remote(forLocal: "y")?.topic, "second/y")
    }

    func testASharedRemotePrefixSubscribesSharedAndMapsThePlainTopic() {
        let map = BridgeTopicMap(rules: [rule("commands/#", .in, local: "edge/", remote: "$share/edges/")])
        XCTAssertEqual(map.remoteSubscriptions.first?.remoteFilter, "$share/edges/commands/#")
        XCTAssertEqual(map.local(forRemote: "commands/valve")?.topic, "edge/commands/valve")
        XCTAssertEqual(BridgeTopicMap.topicPart(ofRemotePrefix: "$share/g/site/"), "site/")
    }

    /// The bridge's memory of its lookups answers as the rules do, remembers "not carried" too, and empties itself
    /// once the names it holds would pass its byte limit.
    func testTheCacheAnswersAsTheRulesAndStaysWithinItsLimit() {
        let map = BridgeTopicMap(rules: [rule("sensors/#", .out, local: "home/", remote: "site/"), rule("plain/#", .out)])
        var cache = BridgeTopicCache()
        for _ in 1...2 {
            XCTAssertEqual(cache.remote(forLocal: "home/sensors/t", in: map)?.topic, "site/sensors/t")
            XCTAssertEqual(cache.remote(forLocal: "plain/x", in: map)?.topic, "plain/x")
            XCTAssertNil(cache.remote(forLocal: "home/other", in: map))
        }
        XCTAssertEqual(cache.count, 3)
        let long = "plain/" + String(repeating: "x", count: 1_000)
        for index in 0..<2_000 {
            XCTAssertEqual(cache.remote(forLocal: long + "\(index)", in: map)?.topic, long + "\(index)")
            XCTAssertLessThanOrEqual(cache.bytes, BridgeTopicCache.byteLimit)
        }
        XCTAssertLessThan(cache.count, 2_000, "emptied on the way")
    }
}
