@testable import MQTTCore
import XCTest

final class SubscriptionTrieTests: XCTestCase {
    private typealias Trie = SubscriptionTrie<String, Int>

    private func keys(_ trie: Trie, _ topic: String) -> [String] {
        trie.matches(topic: topic).map(\.key).sorted()
    }

    func testEmptyTrieMatchesNothing() {
        let trie = Trie()
        XCTAssertTrue(trie.isEmpty)
        XCTAssertEqual(trie.count, 0)
        XCTAssertTrue(trie.matches(topic: "a/b").isEmpty)
    }

    func testMatchingTableAgainstTheTrie() throws {
        for (filter, topic, expected) in topicMatchingTable {
            // The trie takes validated input only: skip the rows about invalid strings.
            guard (try? Topic.validateFilter(filter)) != nil, (try? Topic.validateName(topic)) != nil else {
                continue
            }
            var trie = Trie()
            try trie.insert(filter: filter, key: "c", value: 1)
            XCTAssertEqual(!trie.matches(topic: topic).isEmpty, expected, "filter \(filter) topic \(topic)")
        }
    }

    func testAllTableFiltersInOneTrie() throws {
        var trie = Trie()
        var filters: [String] = []
        for (filter, _, _) in topicMatchingTable where (try? Topic.validateFilter(filter)) != nil {
            if !filters.contains(filter) {
                filters.append(filter)
                try trie.insert(filter: filter, key: filter, value: 0)
            }
        }
        XCTAssertEqual(trie.count, filters.count)
        for (_, topic, _) in topicMatchingTable where (try? Topic.validateName(topic)) != nil {
            let expected = filters.filter { Topic.matches(filter: $0, topic: topic) }.sorted()
            XCTAssertEqual(keys(trie, topic), expected, topic)
        }
    }

    func testOverlappingFiltersEachReportOnce() throws {
        var trie = Trie()
        for (index, filter) in ["#", "a/#", "a/+", "a/b", "+/b", "+/+", "a/b/#", "a/c", "b/#", "$SYS/#"].enumerated() {
            try trie.insert(filter: filter, key: filter, value: index)
        }
        XCTAssertEqual(keys(trie, "a/b"), ["#", "+/+", "+/b", "a/#", "a/+", "a/b", "a/b/#"])
        XCTAssertEqual(keys(trie, "a"), ["#", "a/#"])
        XCTAssertEqual(keys(trie, "a/b/c"), ["#", "a/#", "a/b/#"])
        XCTAssertEqual(keys(trie, "$SYS/load"), ["$SYS/#"])
        XCTAssertEqual(trie.matches(topic: "a/c").count, 5)
    }

    func testInsertSameKeyReplaces() throws {
        var trie = Trie()
        XCTAssertNil(try trie.insert(filter: "a/+", key: "client1", value: 0))
        XCTAssertEqual(try trie.insert(filter: "a/+", key: "client1", value: 2), 0)
        XCTAssertEqual(trie.count, 1)
        XCTAssertEqual(trie.matches(topic: "a/x").map(\.value), [2])
        XCTAssertEqual(trie.value(filter: "a/+", key: "client1"), 2)
    }

    func testManyKeysOnOneFilter() throws {
        var trie = Trie()
        for index in 0..<100 {
            try trie.insert(filter: "sensors/#", key: "client\(index)", value: index)
        }
        XCTAssertEqual(trie.count, 100)
        XCTAssertEqual(trie.matches(topic: "sensors/t").count, 100)
        XCTAssertEqual(trie.remove(filter: "sensors/#", key: "client7"), 7)
        XCTAssertNil(trie.remove(filter: "sensors/#", key: "client7"))
        let remaining = trie.matches(topic: "sensors/t")
        XCTAssertEqual(remaining.count, 99)
        XCTAssertFalse(remaining.contains { $0.key == "client7" })
        // Swap-removal moved an entry; its index must still be right.
        for index in 0..<100 where index != 7 {
            XCTAssertEqual(trie.value(filter: "sensors/#", key: "client\(index)"), index)
        }
        XCTAssertEqual(trie.remove(filter: "sensors/#", key: "client99"), 99)
        XCTAssertEqual(trie.remove(filter: "sensors/#", key: "client0"), 0)
        XCTAssertEqual(trie.count, 97)
    }

    func testRemove() throws {
        var trie = Trie()
        try trie.insert(filter: "a/b/c", key: "x", value: 1)
        try trie.insert(filter: "a/b", key: "x", value: 2)
        XCTAssertNil(trie.remove(filter: "a/b/c", key: "y"))
        XCTAssertNil(trie.remove(filter: "a/b/d", key: "x"))
        XCTAssertNil(trie.remove(filter: "a/+/c", key: "x"))
        XCTAssertNil(trie.remove(filter: "a/#/c", key: "x"))  // invalid filter: nothing to remove
        XCTAssertEqual(trie.remove(filter: "a/b/c", key: "x"), 1)
        XCTAssertEqual(trie.count, 1)
        XCTAssertEqual(keys(trie, "a/b"), ["x"])
        XCTAssertTrue(trie.matches(topic: "a/b/c").isEmpty)
        XCTAssertEqual(trie.remove(filter: "a/b", key: "x"), 2)
        XCTAssertTrue(trie.isEmpty)
        XCTAssertTrue(trie.matches(topic: "a/b").isEmpty)
    }

    func testRemovingPrunesAndReusesNodes() throws {
        var trie = Trie()
        try trie.insert(filter: "keep", key: "k", value: 0)
        for round in 0..<50 {
            try trie.insert(filter: "r/\(round)/+/#", key: "c", value: round)
            XCTAssertEqual(trie.remove(filter: "r/\(round)/+/#", key: "c"), round)
        }
        // root, "keep", and one chain of four nodes that is recycled every round
        XCTAssertLessThanOrEqual(trie.tree.capacity, 6)
        XCTAssertEqual(keys(trie, "keep"), ["k"])
        XCTAssertTrue(trie.matches(topic: "r/3/x/y").isEmpty)
    }

    func testInvalidFilterIsRefused() {
        var trie = Trie()
        XCTAssertThrowsError(try trie.insert(filter: "a/#/b", key: "c", value: 0)) { error in
            XCTAssertEqual(error as? TopicValidationError, .multiLevelWildcardNotLast)
        }
        XCTAssertThrowsError(try trie.insert(filter: "", key: "c", value: 0))
        XCTAssertThrowsError(try trie.insert(filter: "$share/g", key: "c", value: 0))
        XCTAssertTrue(trie.isEmpty)
    }

    func testSharedSubscriptions() throws {
        var trie = Trie()
        try trie.insert(filter: "$share/workers/jobs/+", key: "w1", value: 1)
        try trie.insert(filter: "$share/workers/jobs/+", key: "w2", value: 1)
        try trie.insert(filter: "$share/audit/jobs/#", key: "w1", value: 2)
        try trie.insert(filter: "jobs/+", key: "w1", value: 0)
        XCTAssertEqual(trie.count, 4)

        let matches = trie.matches(topic: "jobs/42")
        XCTAssertEqual(matches.count, 4)
        XCTAssertEqual(matches.filter { $0.shareGroup == "workers" }.map(\.key).sorted(), ["w1", "w2"])
        XCTAssertEqual(matches.filter { $0.shareGroup == "audit" }.map(\.key), ["w1"])
        XCTAssertEqual(matches.filter { $0.shareGroup == nil }.map(\.key), ["w1"])

        // Identity includes the group: removing the plain subscription keeps the shared one.
        XCTAssertEqual(trie.remove(filter: "jobs/+", key: "w1"), 0)
        XCTAssertEqual(trie.value(filter: "$share/workers/jobs/+", key: "w1"), 1)
        XCTAssertNil(trie.remove(filter: "$share/other/jobs/+", key: "w1"))
        XCTAssertEqual(trie.remove(filter: "$share/workers/jobs/+", key: "w1"), 1)
        XCTAssertEqual(trie.matches(topic: "jobs/1").map(\.key).sorted(), ["w1", "w2"])

        // The underlying filter obeys the $-rule.
        try trie.insert(filter: "$share/all/#", key: "w3", value: 0)
        XCTAssertFalse(trie.matches(topic: "$SYS/uptime").contains { $0.key == "w3" })
    }

    func testRemoveAllWhere() throws {
        var trie = Trie()
        for client in ["a", "b", "c"] {
            try trie.insert(filter: "x/\(client)", key: client, value: 0)
            try trie.insert(filter: "x/+", key: client, value: 1)
            try trie.insert(filter: "$share/g/x/#", key: client, value: 2)
        }
        XCTAssertEqual(trie.removeAll { $0.key == "b" }, 3)
        XCTAssertEqual(trie.count, 6)
        XCTAssertEqual(keys(trie, "x/b"), ["a", "a", "c", "c"])
        XCTAssertEqual(keys(trie, "x/a"), ["a", "a", "a", "c", "c"])
        // Positions were rebuilt: removal by identity still works.
        XCTAssertEqual(trie.remove(filter: "x/+", key: "c"), 1)
        XCTAssertEqual(trie.removeAll { _ in true }, 5)
        XCTAssertTrue(trie.isEmpty)
        XCTAssertTrue(trie.matches(topic: "x/a").isEmpty)
        XCTAssertEqual(trie.tree.capacity - 1, trie.tree.freeCount)
    }

    func testValueSemantics() throws {
        var original = Trie()
        try original.insert(filter: "a", key: "k", value: 1)
        var copy = original
        try copy.insert(filter: "b", key: "k", value: 2)
        copy.remove(filter: "a", key: "k")
        XCTAssertEqual(keys(original, "a"), ["k"])
        XCTAssertTrue(original.matches(topic: "b").isEmpty)
        XCTAssertEqual(keys(copy, "b"), ["k"])
    }

    func testForEachMatchStopsOnThrow() throws {
        struct Stop: Error {}
        var trie = Trie()
        for index in 0..<10 { try trie.insert(filter: "#", key: "c\(index)", value: index) }
        var seen = 0
        XCTAssertThrowsError(try trie.forEachMatch(topic: "t") { _ in
            seen += 1
            if seen == 3 { throw Stop() }
        })
        XCTAssertEqual(seen, 3)
    }

    func testVeryDeepTopicDoesNotRecurse() throws {
        var trie = Trie()
        let depth = 30_000
        let filter = Array(repeating: "+", count: depth).joined(separator: "/")
        try trie.insert(filter: filter, key: "deep", value: 0)
        try trie.insert(filter: "a/#", key: "hash", value: 0)
        let topic = Array(repeating: "a", count: depth).joined(separator: "/")
        XCTAssertEqual(keys(trie, topic), ["deep", "hash"])
        XCTAssertEqual(keys(trie, topic + "/a"), ["hash"])
        XCTAssertEqual(trie.remove(filter: filter, key: "deep"), 0)
        XCTAssertEqual(keys(trie, topic), ["hash"])
    }

    func testLongLevelsAndManySiblings() throws {
        var trie = Trie()
        for index in 0..<2_000 {
            try trie.insert(filter: "devices/\(index)-0123456789abcdef0123456789abcdef/state", key: "\(index)", value: index)
        }
        XCTAssertEqual(keys(trie, "devices/1234-0123456789abcdef0123456789abcdef/state"), ["1234"])
        XCTAssertTrue(trie.matches(topic: "devices/1234-0123456789abcdef0123456789abcdef").isEmpty)
        XCTAssertTrue(trie.matches(topic: "devices/2000-0123456789abcdef0123456789abcdef/state").isEmpty)
    }

    func testRandomFiltersAgreeWithTopicMatches() throws {
        var generator = SeededRandom(seed: 0x6d71_6461_7368)
        let words = ["a", "b", "", "$SYS", "ü"]
        func randomTopic() -> String {
            (0..<Int.random(in: 1...4, using: &generator)).map { _ in words.randomElement(using: &generator)! }
                .joined(separator: "/")
        }
        var filters: Set<String> = []
        while filters.count < 300 {
            var levels = randomTopic().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            for index in levels.indices where Int.random(in: 0..<4, using: &generator) == 0 {
                levels[index] = "+"
            }
            if Bool.random(using: &generator) { levels.append("#") }
            let filter = levels.joined(separator: "/")
            if (try? Topic.validateFilter(filter)) != nil { filters.insert(filter) }
        }
        var trie = Trie()
        for filter in filters { try trie.insert(filter: filter, key: filter, value: 0) }
        for _ in 0..<500 {
            let topic = randomTopic()
            if topic.isEmpty { continue }  // not a valid topic name
            let expected = filters.filter { Topic.matches(filter: $0, topic: topic) }.sorted()
            XCTAssertEqual(keys(trie, topic), expected, topic)
        }
    }
}

extension SubscriptionTrieTests {
    /// Subscribe/unsubscribe churn exercises node reuse and deletion from the edge table.
    func testChurnAgreesWithAModel() throws {
        var generator = SeededRandom(seed: 42)
        let words = ["a", "b", "c", "d", "", "$x", "long-level-name-over-15-bytes"]
        func randomLevels() -> [String] {
            (0..<Int.random(in: 1...4, using: &generator)).map { _ in words.randomElement(using: &generator)! }
        }
        var trie = SubscriptionTrie<String, String>()  // the value is the filter, to compare
        var model: [String: Set<String>] = [:]  // filter -> keys
        for step in 0..<4_000 {
            var levels = randomLevels()
            if Int.random(in: 0..<3, using: &generator) == 0 { levels[levels.count - 1] = "+" }
            if Int.random(in: 0..<5, using: &generator) == 0 { levels.append("#") }
            let filter = levels.joined(separator: "/")
            guard (try? Topic.validateFilter(filter)) != nil else { continue }
            let key = ["k1", "k2", "k3"].randomElement(using: &generator)!
            if Bool.random(using: &generator) {
                try trie.insert(filter: filter, key: key, value: filter)
                model[filter, default: []].insert(key)
            } else {
                let wasThere = model[filter]?.remove(key) != nil
                XCTAssertEqual(trie.remove(filter: filter, key: key) != nil, wasThere, filter)
                if model[filter]?.isEmpty == true { model[filter] = nil }
            }
            XCTAssertEqual(trie.count, model.values.reduce(0) { $0 + $1.count })
            if step % 250 == 0 || step == 3_999 {
                for _ in 0..<20 {
                    let topic = randomLevels().joined(separator: "/")
                    if topic.isEmpty { continue }
                    let expected = model.flatMap { filter, keys in
                        Topic.matches(filter: filter, topic: topic) ? keys.map { "\(filter) \($0)" } : []
                    }.sorted()
                    var actual: [String] = []
                    trie.forEachMatch(topic: topic) { actual.append("\($0.value) \($0.key)") }
                    XCTAssertEqual(actual.sorted(), expected, topic)
                }
            }
        }
        trie.removeAll { _ in true }
        XCTAssertEqual(trie.tree.capacity - 1, trie.tree.freeCount)
    }
}
