import PayloadDecoders

/// Limits and choices given on the command line; the defaults are documented in docs/usage/dashboard.md.
public struct DashboardSettings: Sendable, Equatable {
    /// Entries kept in the message log ring (`--log-size`).
    public var logCapacity = 10_000
    /// Payload bytes kept per message; longer payloads show "truncated, N bytes" (`--max-payload`).
    public var maximumStoredPayload = 64 * 1024
    /// Recent messages kept per topic for the detail view and its plot (`--history`).
    public var historyPerTopic = 100
    /// Show `$SYS/...` topics in the tree.
    public var showSystemTopics = false
    /// Whether the connection is MQTT 5 (the publish form then offers v5 properties).
    public var isV5 = false
    public var brokerURL = ""
    public var clientID = ""
    /// `mqdash --broker`: the broker pane (`B`) has a broker to show.
    public var hasEmbeddedBroker = false
    /// `--decode FILTER=CHAIN` rules (the Sparkplug default applies without any).
    public var decoders = DecoderRules.none
    /// The profiles `c` offers (from the profiles file); empty without one.
    public var connectionChoices: [ConnectionChoice] = []
    /// Why `c` has no profiles to offer when the profiles file could not be read.
    public var connectionChoicesProblem: String?

    public init() {}
}
