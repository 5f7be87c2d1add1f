import MQTTBroker

/// Few topics, filters and users, so that the fuzzer's choices match each other and the ACL often.
enum Vocabulary {
    static let clientIDs = ["c0", "c1", "c2", "c3"]
    static let usernames: [String?] = [nil, "alice", "bob", "carol"]
    static let topics = [
        "a/x", "a/y", "b/x", "b/y/z", "c/alice/x", "c/bob/1", "c/c0", "c/c1",
        "public/n", "a", "secret/x", "c/c2", "b/x/y", "public/m/q", "a/x/y", "c/carol/x",
    ]
    static let filters = [
        "a/#", "a/+", "b/+", "b/#", "#", "+/x", "c/+/#", "c/c0",
        "public/#", "$share/g/a/#", "$share/g/b/+", "c/alice/#", "+/+", "a/x", "secret/#", "c/%c",
    ]

    /// Users with rules, patterns with %c and %u, anonymous clients limited to public/#.
    static let aclText = """
        topic read public/#
        topic write public/n

        user alice
        topic readwrite a/#
        topic read b/+
        topic deny a/y

        user bob
        topic write a/#
        topic readwrite b/#
        topic read secret/x

        pattern readwrite c/%u/#
        pattern read c/%c
        """

    static func security() -> ListenerSecurity {
        ListenerSecurity(settings: .init(allowAnonymous: true), acl: try! ACL(contents: aclText, file: "broker-fuzz.acl"))
    }
}
