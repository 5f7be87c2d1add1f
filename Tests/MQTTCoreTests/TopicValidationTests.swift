import MQTTCore
import XCTest

final class TopicValidationTests: XCTestCase {
    private func nameError(_ name: String) -> TopicValidationError? { failure(of: Topic.validateName, name) }

    private func filterError(_ filter: String) -> TopicValidationError? { failure(of: Topic.validateFilter, filter) }

    /// What `validate` throws for `input`; nil when it passes.
    private func failure(
        of validate: (String) throws(TopicValidationError) -> Void, _ input: String
    ) -> TopicValidationError? {
        do {
            try validate(input)
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
        assertErrors(nameError, [
            (.empty, [""]),
            // Length is in UTF-8 bytes, not characters: 21 846 * 3 bytes = 65 538.
            (.tooLong, [String(repeating: "x", count: 65_536), String(repeating: "€", count: 21_846)]),
            (.containsNullCharacter, ["a\u{0}b"]),
            (.wildcardInTopicName, ["sport/+", "sport/#", "sport#", "+"]),
        ])
    }

    /// Each input of a row fails with that row's error.
    private func assertErrors(
        _ check: (String) -> TopicValidationError?, _ table: [(TopicValidationError, [String])], line: UInt = #line
    ) {
        for (error, inputs) in table {
            for input in inputs { XCTAssertEqual(check(input), error, input, line: line) }
        }
    }

    func testValidFilters() {
        for filter in ["#", "+", "+/+", "/+", "+/", "sport/tennis/#", "sport/+/player1", "+/tennis/#",
                       "sport/#", "$SYS/#", "a//b", "/", "$share/group/sport/#", "$share/g/+",
                       "$share", "$shared/x/y", "a/$share/g/b"] {
            XCTAssertNil(filterError(filter), filter)
        }
    }

    func testFilterErrors() {
        assertErrors(filterError, [
            (.empty, [""]),
            (.tooLong, [String(repeating: "a/", count: 32_768)]),
            (.containsNullCharacter, ["a/\u{0}"]),
            (.multiLevelWildcardNotLast, ["sport/tennis/#/ranking", "#/"]),
            (.wildcardNotWholeLevel, ["sport/tennis#", "sport+", "sport/+tennis", "++", "#+", "a/##"]),
        ])
    }

    func testSharedSubscriptionErrors() {
        assertErrors(filterError, [
            (.invalidSharedSubscription, ["$share/", "$share//a", "$share/group", "$share/group/", "$share/gr+up/a", "$share/#/a", "$share/+/a"]),
            // The underlying filter reports its own fault.
            (.wildcardNotWholeLevel, ["$share/g/a#"]),
            (.multiLevelWildcardNotLast, ["$share/g/#/a"]),
        ])
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
