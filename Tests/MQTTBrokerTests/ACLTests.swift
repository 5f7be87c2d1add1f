import MQTTBroker
import XCTest

final class ACLTests: XCTestCase {
    static let text = """
        # Anonymous clients: only before the first user line.
        topic read public/#
        topic write public/anon-inbox

        user iot
        topic readwrite livingroom/#
        topic read kitchen/+/temp
        topic deny livingroom/secret
        topic write commands/#
        topic sensors/raw

        user reader
        topic read #
        topic deny private/#

        pattern write sensor/%u/data
        pattern readwrite clients/%c/#
        pattern read shared/all
        pattern deny %c/forbidden
        """

    func acl() throws -> ACL { try ACL(contents: Self.text, file: "acl") }

    func testParsesSections() throws {
        let acl = try acl()
        XCTAssertEqual(acl.anonymousRules.map(\.topic), ["public/#", "public/anon-inbox"])
        XCTAssertEqual(acl.anonymousRules.map(\.access), [.read, .write])
        XCTAssertEqual(acl.userRules["iot"]?.map(\.access), [.readwrite, .read, .deny, .write, .readwrite])
        XCTAssertEqual(acl.userRules["iot"]?.last?.topic, "sensors/raw")
        XCTAssertEqual(acl.userRules["iot"]?.first?.line, 6)
        XCTAssertEqual(acl.userRules["reader"]?.count, 2)
        XCTAssertEqual(acl.patterns.map(\.topic), ["sensor/%u/data", "clients/%c/#", "shared/all", "%c/forbidden"])
    }

    /// (client id, user, topic, publish allowed, read allowed)
    func testPublishAndReadDecisionTable() throws {
        let acl = try acl()
        let table: [(String, String?, String, Bool, Bool)] = [
            // Anonymous: the rules before the first user line, plus patterns without %u.
            ("anon", nil, "public/news", false, true),
            ("anon", nil, "public/anon-inbox", true, true),  // read through public/#
            ("anon", nil, "livingroom/temp", false, false),
            ("anon", nil, "sensor/anon/data", false, false),  // %u needs a user name
            ("anon", nil, "clients/anon/x", true, true),
            ("anon", nil, "clients/other/x", false, false),
            ("anon", nil, "shared/all", false, true),
            // A user gets its own section, not the anonymous one.
            ("c1", "iot", "public/news", false, false),
            ("c1", "iot", "livingroom/temp", true, true),
            ("c1", "iot", "livingroom", true, true),  // "#" covers the parent level
            ("c1", "iot", "livingroom/secret", false, false),  // deny overrides readwrite
            ("c1", "iot", "livingroom/secret/deeper", true, true),  // deny is exact here
            ("c1", "iot", "kitchen/oven/temp", false, true),
            ("c1", "iot", "kitchen/oven/humidity", false, false),
            ("c1", "iot", "commands/lamp", true, false),
            ("c1", "iot", "sensors/raw", true, true),  // no access word: readwrite
            ("c1", "iot", "sensor/iot/data", true, false),
            ("c1", "iot", "sensor/bob/data", false, false),
            ("c1", "iot", "clients/c1/status", true, true),
            ("c1", "iot", "c1/forbidden", false, false),  // deny pattern
            ("c1", "iot", "$SYS/broker/uptime", false, false),
            // "#" in a rule does not reach $-topics.
            ("r", "reader", "anything/at/all", false, true),
            ("r", "reader", "$SYS/broker/uptime", false, false),
            ("r", "reader", "private/diary", false, false),
            // A user with no section gets only the patterns.
            ("c9", "stranger", "public/news", false, false),
            ("c9", "stranger", "sensor/stranger/data", true, false),
            ("c9", "stranger", "shared/all", false, true),
        ]
        for (clientID, username, topic, publish, read) in table {
            XCTAssertEqual(acl.canPublish(clientID: clientID, username: username, topic: topic), publish,
                           "publish \(clientID)/\(username ?? "-") \(topic)")
            XCTAssertEqual(acl.canRead(clientID: clientID, username: username, topic: topic), read,
                           "read \(clientID)/\(username ?? "-") \(topic)")
        }
    }

    /// (client id, user, filter, subscribe allowed)
    func testSubscribeDecisionTable() throws {
        let acl = try acl()
        let table: [(String, String?, String, Bool)] = [
            ("anon", nil, "public/#", true),
            ("anon", nil, "public/news", true),
            ("anon", nil, "public/+/x", true),
            ("anon", nil, "#", true),  // overlaps public/#: messages are filtered at delivery
            ("anon", nil, "+/news", true),
            ("anon", nil, "livingroom/#", false),  // nothing readable there
            ("anon", nil, "public/anon-inbox", true),
            ("c1", "iot", "livingroom/#", true),
            ("c1", "iot", "livingroom/secret", false),  // wholly inside a deny rule
            ("c1", "iot", "livingroom/+", true),
            ("c1", "iot", "kitchen/#", true),
            ("c1", "iot", "kitchen/+/temp", true),
            ("c1", "iot", "kitchen/oven/humidity", false),
            ("c1", "iot", "commands/#", false),  // write only
            ("c1", "iot", "clients/c1/#", true),
            ("c1", "iot", "clients/c2/#", false),
            ("c1", "iot", "c1/forbidden", false),
            ("c1", "iot", "$share/g/livingroom/#", true),
            ("c1", "iot", "$share/g/commands/#", false),
            ("c1", "iot", "$SYS/#", false),
            ("r", "reader", "#", true),
            ("r", "reader", "$SYS/#", false),  // "#" in the rule does not cover $SYS
            ("r", "reader", "private/#", false),
            ("r", "reader", "private/+/x", false),
            ("r", "reader", "+/diary", true),  // overlaps non-private topics
            ("r", "reader", "a/b+", false),  // invalid filter
        ]
        for (clientID, username, filter, allowed) in table {
            XCTAssertEqual(acl.canSubscribe(clientID: clientID, username: username, filter: filter), allowed,
                           "subscribe \(clientID)/\(username ?? "-") \(filter)")
        }
    }

    /// CVE-2017-7650: an id with a wildcard must not widen a pattern.
    func testWildcardsInIdsAreRefusedForPatterns() throws {
        let acl = try acl()
        XCTAssertFalse(acl.canRead(clientID: "#", username: nil, topic: "clients/x/y"))
        XCTAssertFalse(acl.canPublish(clientID: "c1", username: "+", topic: "sensor/a/data"))
        XCTAssertFalse(acl.canSubscribe(clientID: "+", username: "iot", filter: "clients/+/#"))
        // Without a pattern needing it, the odd id is harmless.
        let plain = try ACL(contents: "topic read a/#\n")
        XCTAssertTrue(plain.canRead(clientID: "#", username: nil, topic: "a/b"))
    }

    /// A rule is a topic filter matched literally: `$share/<g>/` is only ever stripped from a
    /// SUBSCRIBE's own filter. A client id `$share/g` under `pattern readwrite %c/#` (the rule
    /// `$share/g/#`) once read and wrote every topic.
    func testRulesAreMatchedLiterallyNotAsSharedSubscriptions() throws {
        let literal = try ACL(contents: "user u\ntopic readwrite $share/g/#\n")
        XCTAssertFalse(literal.canPublish(clientID: "c", username: "u", topic: "victim/secret"))
        XCTAssertFalse(literal.canRead(clientID: "c", username: "u", topic: "victim/secret"))
        XCTAssertFalse(literal.canSubscribe(clientID: "c", username: "u", filter: "victim/#"))
        XCTAssertTrue(literal.canPublish(clientID: "c", username: "u", topic: "$share/g/x"))  // the topic it names
        XCTAssertTrue(literal.canRead(clientID: "c", username: "u", topic: "$share/g/x"))

        // A literal deny rule takes away only what it names.
        let deny = try ACL(contents: "topic read #\ntopic deny $share/g/#\n")
        XCTAssertTrue(deny.canRead(clientID: "c", username: nil, topic: "victim/secret"))
        XCTAssertFalse(deny.canRead(clientID: "c", username: nil, topic: "$share/g/x"))

        let pattern = try ACL(contents: "pattern readwrite %c/#\n")
        XCTAssertFalse(pattern.canPublish(clientID: "$share/g", username: nil, topic: "victim/secret"))
        XCTAssertFalse(pattern.canRead(clientID: "$share/g", username: nil, topic: "victim/secret"))
        XCTAssertFalse(pattern.canSubscribe(clientID: "$share/g", username: nil, filter: "victim/#"))
        XCTAssertTrue(pattern.canPublish(clientID: "victim", username: nil, topic: "victim/secret"))

        // A SUBSCRIBE's own $share prefix is still checked by its underlying filter.
        let shared = try ACL(contents: "topic read sensors/#\n")
        XCTAssertTrue(shared.canSubscribe(clientID: "c", username: nil, filter: "$share/g/sensors/#"))
        XCTAssertFalse(shared.canSubscribe(clientID: "c", username: nil, filter: "$share/g/kitchen/#"))
    }

    /// A `%c` or `%u` value with `/` would reach into another client's levels (`victim/valve`
    /// under `devices/%c/#` writes into `victim`'s `devices/victim/...`); one starting with `$`
    /// would name a `$` tree (`$SYS` under `%c/#`). Such a value grants nothing through the
    /// pattern; the client's other rules still apply.
    func testSubstitutedValuesThatLeaveTheirLevelGrantNothing() throws {
        let acl = try ACL(contents: """
            pattern readwrite devices/%c/#
            pattern read users/%u/#
            pattern read %c/#
            user u
            topic read public/#
            """)
        let refused: [(String, String?, String)] = [
            ("victim/valve", nil, "devices/victim/valve/open"),
            ("victim/valve", "u", "devices/victim/valve/open"),
            ("/", nil, "devices///x"),
            ("$x", nil, "devices/$x/a"),
            ("$SYS", nil, "$SYS/broker/uptime"),
            ("c", "bob/x", "users/bob/x/inbox"),
            ("c", "$bob", "users/$bob/inbox"),
        ]
        for (clientID, username, topic) in refused {
            XCTAssertFalse(acl.canPublish(clientID: clientID, username: username, topic: topic), "publish \(clientID) \(topic)")
            XCTAssertFalse(acl.canRead(clientID: clientID, username: username, topic: topic), "read \(clientID) \(topic)")
            XCTAssertFalse(acl.canSubscribe(clientID: clientID, username: username, filter: topic), "subscribe \(clientID) \(topic)")
        }
        // The owner keeps its levels; the odd client keeps its other rules.
        XCTAssertTrue(acl.canPublish(clientID: "victim", username: nil, topic: "devices/victim/valve/open"))
        XCTAssertTrue(acl.canRead(clientID: "victim/valve", username: "u", topic: "public/news"))
        XCTAssertTrue(acl.canRead(clientID: "c", username: "bob", topic: "users/bob/inbox"))
        // A deny pattern only takes away, so it still applies to such a value.
        let deny = try ACL(contents: "pattern deny devices/%c/locked\nuser u\ntopic read devices/#\n")
        XCTAssertFalse(deny.canRead(clientID: "victim/valve", username: "u", topic: "devices/victim/valve/locked"))
        XCTAssertTrue(deny.canRead(clientID: "victim/valve", username: "u", topic: "devices/victim/valve/open"))
        // "$" inside a value is harmless; only a leading one names a $ tree.
        XCTAssertTrue(acl.canPublish(clientID: "a$b", username: nil, topic: "devices/a$b/x"))
    }

    func testEmptyACLRefusesEverything() throws {
        let acl = try ACL(contents: "# nothing\n\n")
        XCTAssertFalse(acl.canPublish(clientID: "c", username: nil, topic: "a"))
        XCTAssertFalse(acl.canRead(clientID: "c", username: "u", topic: "a"))
        XCTAssertFalse(acl.canSubscribe(clientID: "c", username: "u", filter: "#"))
    }

    func testMalformedLinesAreErrorsWithLineNumbers() throws {
        let cases: [(String, Int)] = [
            ("topic read a\nuser\n", 2),
            ("topic\n", 1),
            ("topic read\n", 1),
            ("\n\ntopic read a/#/b\n", 3),
            ("topic write a+\n", 1),
            ("pattern\n", 1),
            ("topic read a\nfrobnicate x\n", 2),
        ]
        for (text, line) in cases {
            XCTAssertThrowsError(try ACL(contents: text, file: "acl"), text) { error in
                XCTAssertEqual((error as? ACLError)?.line, line, text)
                XCTAssertTrue((error as? ACLError)?.description.hasPrefix("acl:\(line): ") ?? false)
            }
        }
        XCTAssertThrowsError(try ACL.load(path: "/nonexistent/acl"))
        // A topic with spaces needs the access word, and then it is kept whole.
        XCTAssertEqual(try ACL(contents: "topic read my topic/x\n").anonymousRules.first?.topic, "my topic/x")
        // CRLF line ends.
        let crlf = try ACL(contents: "user u\r\ntopic read a/#\r\n")
        XCTAssertEqual(crlf.userRules["u"]?.first?.topic, "a/#")
    }
}
