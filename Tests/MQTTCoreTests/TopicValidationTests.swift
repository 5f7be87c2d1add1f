import MQTTCore
import XCTest

final class TopicValidationTests: XCTestCase {
    private func nameError(_ name: String) -> TopicValidationError? {
        do {
            try Topic.validateName(name)
            return nil
        } catch {
            return error
        }
    }

    private func filterError(_ filter: String) -> TopicValidationError? {
        do {
            try Topic.validateFilter(filter)
            return nil
        } catch {
            return error
        }
    }

    func testValidNames() {
        for name in ["a", "/", "//", "/finance", "sport/tennis/player1", "$SYS/broker/uptime",
                     "a b/ü/日本", "sport/", String(repeating: "x", count: 65_535)] {
            XCTAssertNil(nameError(name), name)
        }
    }

    func testNameErrors() {
        XCTAssertEqual(nameError(""), .empty)
        XCTAssertEqual(nameError(String(repeating: "x", count: 65_536)), .tooLong)
        // Length is in UTF-8 bytes, not characters: 21 846 * 3 bytes = 65 538.
        XCTAssertEqual(nameError(String(repeating: "€", count: 21_846)), .tooLong)
        XCTAssertEqual(nameError("a\u{0}b"), .containsNullCharacter)
        XCTAssertEqual(nameError("sport/+"), .wildcardInTopicName)
        XCTAssertEqual(nameError("sport/#"), .wildcardInTopicName)
        XCTAssertEqual(nameError("sport#"), .wildcardInTopicName)
        XCTAssertEqual(nameError("+"), .wildcardInTopicName)
    }

    func testValidFilters() {
        for filter in ["#", "+", "+/+", "/+", "+/", "sport/tennis/#", "sport/+/player1", "+/tennis/#",
                       "sport/#", "$SYS/#", "a//b", "/", "$share/group/sport/#", "$share/g/+",
                       "$share", "$shared/x/y", "a/$share/g/b"] {
            XCTAssertNil(filterError(filter), filter)
        }
    }

    func testFilterErrors() {
        XCTAssertEqual(filterError(""), .empty)
        XCTAssertEqual(filterError(String(repeating: "a/", count: 32_768)), .tooLong)
        XCTAssertEqual(filterError("a/\u{0}"), .containsNullCharacter)
        XCTAssertEqual(filterError("sport/tennis/#/ranking"), .multiLevelWildcardNotLast)
        XCTAssertEqual(filterError("#/"), .multiLevelWildcardNotLast)
        XCTAssertEqual(filterError("sport/tennis#"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("sport+"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("sport/+tennis"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("++"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("#+"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("a/##"), .wildcardNotWholeLevel)
    }

    func testSharedSubscriptionErrors() {
        XCTAssertEqual(filterError("$share/"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share//a"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share/group"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share/group/"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share/gr+up/a"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share/#/a"), .invalidSharedSubscription)
        XCTAssertEqual(filterError("$share/+/a"), .invalidSharedSubscription)
        // The underlying filter reports its own fault.
        XCTAssertEqual(filterError("$share/g/a#"), .wildcardNotWholeLevel)
        XCTAssertEqual(filterError("$share/g/#/a"), .multiLevelWildcardNotLast)
    }

    func testSharedSubscriptionParsing() {
        XCTAssertEqual(SharedSubscription(parsing: "$share/consumers/sport/#"),
                       SharedSubscription(parsing: "$share/consumers/sport/#"))
        let shared = SharedSubscription(parsing: "$share/consumers/sport/tennis/+")
        XCTAssertEqual(shared?.group, "consumers")
        XCTAssertEqual(shared?.filter, "sport/tennis/+")
        // Only the first level after the group name ends the group.
        XCTAssertEqual(SharedSubscription(parsing: "$share/g//a")?.filter, "/a")
        XCTAssertEqual(SharedSubscription(parsing: "$share/g/$SYS/#")?.filter, "$SYS/#")
        XCTAssertNil(SharedSubscription(parsing: "sport/#"))
        XCTAssertNil(SharedSubscription(parsing: "$share"))
        XCTAssertNil(SharedSubscription(parsing: "$share/g"))
        XCTAssertNil(SharedSubscription(parsing: "$share/g/a+"))
        XCTAssertNil(SharedSubscription(parsing: "$SHARE/g/a"))
    }

    func testEveryErrorHasAReadableDescription() {
        let all: [TopicValidationError] = [.empty, .tooLong, .containsNullCharacter, .wildcardInTopicName,
                                           .multiLevelWildcardNotLast, .wildcardNotWholeLevel,
                                           .invalidSharedSubscription]
        let descriptions = all.map(\.description)
        XCTAssertEqual(Set(descriptions).count, all.count)
        for description in descriptions {
            XCTAssertFalse(description.isEmpty)
            XCTAssertFalse(description.contains("TopicValidationError"))
        }
        XCTAssertEqual("\(TopicValidationError.empty)", TopicValidationError.empty.description)
    }
}
