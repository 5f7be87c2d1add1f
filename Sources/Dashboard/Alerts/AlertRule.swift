/// What makes an alert, as `mqdash watch` flags name it: a condition on the value (a number, or the
/// payload's text) of each topic a filter matches, or on how the topic's messages arrive.
public enum AlertCondition: Sendable, Equatable {
    case above(Double)
    case below(Double)
    /// Fires below the first bound or above the second.
    case outside(Double, Double)
    /// Fires on every message whose value differs from the topic's previous one.
    case changed
    case equals(String)
    /// Fires when a topic has had no message for this many seconds.
    case silent(seconds: Double)
    /// Fires when a topic's messages per second (over `MessageRate.window`) exceed this.
    case rateAbove(Double)

    /// How the alert line names the condition: `above 30`, `silent for 60s`.
    public var description: String {
        switch self {
        case .above(let limit): "above \(Self.format(limit))"
        case .below(let limit): "below \(Self.format(limit))"
        case .outside(let low, let high): "outside \(Self.format(low))..\(Self.format(high))"
        case .changed: "changed"
        case .equals(let value): "equals \(value)"
        case .silent(let seconds): "silent for \(Self.format(seconds))s"
        case .rateAbove(let rate): "rate above \(Self.format(rate))/s"
        }
    }

    /// Whether the condition reads the value as a number (a payload that is not one is ignored).
    var isNumeric: Bool {
        switch self {
        case .above, .below, .outside: true
        case .changed, .equals, .silent, .rateAbove: false
        }
    }

    /// A number as alert lines show it: `30`, not `30.0`.
    public static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

/// One rule: a condition over the topics `filter` matches, read at `field` (a JSON path) when given.
public struct AlertRule: Sendable, Equatable {
    public var filter: String
    public var field: String?
    public var condition: AlertCondition
    public var damping: AlertDamping

    public init(filter: String, field: String? = nil, condition: AlertCondition, damping: AlertDamping = AlertDamping()) {
        self.filter = filter
        self.field = field
        self.condition = condition
        self.damping = damping
    }
}

/// What keeps an alert from flapping.
public struct AlertDamping: Sendable, Equatable {
    /// How far a number (or a rate) must come back past the limit before a firing alert clears, so a value
    /// hovering at the limit does not flap.
    public var hysteresis: Double
    /// How long the condition must hold before the alert fires.
    public var minimumDuration: Double

    public init(hysteresis: Double = 0, minimumDuration: Double = 0) {
        self.hysteresis = hysteresis
        self.minimumDuration = minimumDuration
    }
}

/// An alert firing or clearing on one topic.
public struct AlertEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case fired = "ALERT", cleared = "CLEAR" }

    public var kind: Kind
    public var topic: String
    /// The value that made it fire or clear, as text ("" for silence).
    public var value: String
    public var condition: AlertCondition
    /// Seconds on the watch's clock.
    public var time: Double
}
