import MQTTCore
import XCTest

/// The matching table shared by `Topic.matches` and `SubscriptionTrie`, mostly from the
/// examples in MQTT 5.0 section 4.7.
let topicMatchingTable: [(filter: String, topic: String, matches: Bool)] = [
    // 4.7.1.2 multi-level wildcard
    ("sport/tennis/player1/#", "sport/tennis/player1", true),
    ("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
    ("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
    ("sport/tennis/player1/#", "sport/tennis/player2", false),
    ("sport/tennis/#", "sport/tennis", true),
    ("sport/tennis/#", "sport/tennisplayer", false),
    ("sport/#", "sport", true),
    ("sport/#", "sports", false),
    ("#", "sport/tennis/player1", true),
    ("#", "/", true),
    ("#", "a", true),
    // 4.7.1.3 single-level wildcard
    ("sport/tennis/+", "sport/tennis/player1", true),
    ("sport/tennis/+", "sport/tennis/player2", true),
    ("sport/tennis/+", "sport/tennis/player1/ranking", false),
    ("sport/+", "sport", false),
    ("sport/+", "sport/", true),
    ("+", "sport", true),
    ("+", "/finance", false),
    ("+", "", false),  // "" is not a valid topic name
    ("+/+", "/finance", true),
    ("/+", "/finance", true),
    ("+/+", "sport", false),
    ("+/tennis/#", "sport/tennis", true),
    ("+/tennis/#", "sport/tennis/player1/ranking", true),
    ("sport/+/player1", "sport/tennis/player1", true),
    ("sport/+/player1", "sport/tennis/player2", false),
    ("sport/+/#", "sport/tennis", true),
    ("sport/+/#", "sport", false),
    // 4.7.2 $-topics
    ("#", "$SYS/broker/uptime", false),
    ("+/monitor/Clients", "$SYS/monitor/Clients", false),
    ("$SYS/#", "$SYS/monitor/Clients", true),
    ("$SYS/monitor/+", "$SYS/monitor/Clients", true),
    ("$SYS/#", "$SYS", true),
    ("+", "$SYS", false),
    ("a/+", "a/$b", true),  // only the first level is special
    ("a/#", "a/$b/c", true),
    // empty levels and exact matches
    ("/", "/", true),
    ("//", "//", true),
    ("a//b", "a//b", true),
    ("a/+/b", "a//b", true),
    ("a/+/b", "a/b", false),
    ("/#", "/", true),
    ("/#", "/a/b", true),
    ("+/", "a/", true),
    ("+/", "a", false),
    ("a/b", "a/b", true),
    ("a/b", "a/b/", false),
    ("a/b", "A/b", false),
    ("ü/+", "ü/日本", true),
    // shared subscriptions match by their underlying filter
    ("$share/group/sport/#", "sport/tennis", true),
    ("$share/group/+", "sport", true),
    ("$share/group/#", "$SYS/x", false),
    ("$share/group/sport", "group/sport", false),
    // wildcards in the topic never match literally, invalid filters match nothing
    ("sport/+", "sport/+", false),
    ("sport/#", "sport/#", false),
    ("a#", "a#", false),
]

final class TopicMatchingTests: XCTestCase {
    func testTableHasEnoughCases() {
        XCTAssertGreaterThanOrEqual(topicMatchingTable.count, 30)
    }

    func testMatchesTable() {
        for (filter, topic, expected) in topicMatchingTable {
            XCTAssertEqual(Topic.matches(filter: filter, topic: topic), expected,
                           "filter \(filter) topic \(topic)")
        }
    }
}

extension TopicMatchingTests {
    /// Every filter and topic of up to three levels over a small alphabet (empty levels, `$` topics, both
    /// wildcards in every place): `Topic.matches` agrees with the subscription trie, which matches by its
    /// own walk of a tree. Invalid filters (a `#` not last) match nothing in both.
    func testAgreesWithTheTrieOnEverySmallFilterAndTopic() throws {
        func strings(of levels: [String], upTo count: Int) -> [String] {
            (1...count).flatMap { length in
                (0..<length).reduce([[String]()]) { partial, _ in partial.flatMap { p in levels.map { p + [$0] } } }
            }.map { $0.joined(separator: "/") }
        }
        let topics = strings(of: ["a", "b", "", "$x"], upTo: 3).filter { !$0.isEmpty }
        var compared = 0
        for filter in strings(of: ["a", "b", "", "$x", "+", "#"], upTo: 3) {
            guard !filter.isEmpty, (try? Topic.validateFilter(filter)) != nil else { continue }
            var trie = SubscriptionTrie<String, Int>()
            try trie.insert(filter: filter, key: "k", value: 1)
            for topic in topics {
                XCTAssertEqual(Topic.matches(filter: filter, topic: topic), !trie.matches(topic: topic).isEmpty,
                               "filter \(filter) topic \(topic)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 10_000)
    }
}
