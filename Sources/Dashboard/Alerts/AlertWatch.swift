import MQTTCore

/// One rule's state over every topic its filter matches: fed each message and a clock tick, it says
/// when an alert fires and when it clears. No IO and no clock of its own, so tests drive the time.
public struct AlertWatch: Sendable {
    /// Topics followed at most; a `#` rule over a large broker must not grow without bound.
    public static let topicLimit = 10_000

    public let rule: AlertRule
    private var topics: [String: TopicAlertState] = [:]
    /// Topics whose value condition holds but has not yet held for the minimum duration: all `tick` must look at
    /// for the value rules.
    private var waitingTopics: Set<String> = []
    /// Messages of topics beyond `topicLimit`, not watched.
    public private(set) var topicsNotWatched = 0

    /// `start` seeds a filter without wildcards, so a topic that never speaks still goes silent.
    public init(rule: AlertRule, start: Double) {
        self.rule = rule
        if !rule.filter.contains(where: { $0 == "+" || $0 == "#" }) {
            topics[rule.filter] = TopicAlertState(lastSeen: start)
        }
    }

    public mutating func received(topic: String, payload: some Collection<UInt8>, at time: Double) -> [AlertEvent] {
        guard Topic.matches(filter: rule.filter, topic: topic) else { return [] }
        guard topics[topic] != nil || topics.count < Self.topicLimit else {
            topicsNotWatched += 1
            return []
        }
        var state = topics[topic] ?? TopicAlertState(lastSeen: time)
        defer { topics[topic] = state }
        state.lastSeen = time
        state.rate.record(at: time)
        let text = valueText(payload)
        var events: [AlertEvent] = []
        switch rule.condition {
        case .changed:
            if let previous = state.lastValue, previous != text {
                events.append(AlertEvent(kind: .fired, topic: topic, value: text, condition: rule.condition, time: time))
            }
        case .silent:
            if state.firing {
                state.firing = false
                events.append(AlertEvent(kind: .cleared, topic: topic, value: text, condition: rule.condition, time: time))
            }
        default:
            if let holds = holds(text: text, payload: payload, state: state, now: time) {
                events += state.update(holds: holds, topic: topic, value: text, rule: rule, now: time)
                noteWaiting(topic, state)
            }
        }
        state.lastValue = text
        return events
    }

    /// Silence, rates that fall, and conditions waiting out their minimum duration change with time alone.
    /// Runs every 100 ms: walks only the topics time can change, and sorts only what fired or cleared.
    public mutating func tick(at time: Double) -> [AlertEvent] {
        var events: [AlertEvent] = []
        switch rule.condition {
        case .silent, .rateAbove:
            var index = topics.startIndex
            while index != topics.endIndex {
                if let change = changeWithTime(topics.values[index], now: time) {
                    events += topics.values[index].update(holds: change.holds, topic: topics.keys[index], value: change.value,
                                                          rule: rule, now: time)
                }
                index = topics.index(after: index)
            }
        default:
            for topic in waitingTopics {
                guard var state = topics[topic], let value = state.lastValue else { continue }
                events += state.update(holds: true, topic: topic, value: value, rule: rule, now: time)
                topics[topic] = state
                noteWaiting(topic, state)
            }
        }
        return events.sorted { $0.topic < $1.topic }
    }

    /// What time alone says of one topic under a silence or rate rule; nil when it changes nothing.
    private func changeWithTime(_ state: TopicAlertState, now: Double) -> (holds: Bool, value: String)? {
        switch rule.condition {
        case .silent(let seconds):
            // Only a message ends a silence (in `received`), so time alone can only start one.
            return now - state.lastSeen >= seconds ? (true, "") : nil
        case .rateAbove:
            return (rateHolds(state, now: now), rateText(state, now: now))
        default:
            return nil
        }
    }

    /// Keeps `waitingTopics` to the topics whose condition waits out the rule's minimum duration.
    private mutating func noteWaiting(_ topic: String, _ state: TopicAlertState) {
        if state.pendingSince != nil { waitingTopics.insert(topic) } else { waitingTopics.remove(topic) }
    }

    /// Whether the condition holds for this value; nil when the value says nothing (not a number).
    private func holds(text: String, payload: some Collection<UInt8>, state: TopicAlertState, now: Double) -> Bool? {
        let band = rule.damping.hysteresis
        switch rule.condition {
        case .equals(let expected):
            return text == expected
        case .rateAbove:
            return rateHolds(state, now: now)
        case .above(let limit):
            guard let number = NumericValue.extract(from: payload, field: rule.field) else { return nil }
            return state.firing ? number > limit - band : number > limit
        case .below(let limit):
            guard let number = NumericValue.extract(from: payload, field: rule.field) else { return nil }
            return state.firing ? number < limit + band : number < limit
        case .outside(let low, let high):
            guard let number = NumericValue.extract(from: payload, field: rule.field) else { return nil }
            return state.firing ? (number < low + band || number > high - band) : (number < low || number > high)
        case .changed, .silent:
            return nil
        }
    }

    private func rateHolds(_ state: TopicAlertState, now: Double) -> Bool {
        guard case .rateAbove(let limit) = rule.condition else { return false }
        let rate = state.rate.perSecond(now: now)
        return state.firing ? rate > limit - rule.damping.hysteresis : rate > limit
    }

    private func rateText(_ state: TopicAlertState, now: Double) -> String {
        AlertCondition.format(state.rate.perSecond(now: now)) + "/s"
    }

    /// The payload (or the field at `rule.field`) as the alert line shows it.
    private func valueText(_ payload: some Collection<UInt8>) -> String {
        if rule.field != nil, let number = NumericValue.extract(from: payload, field: rule.field) {
            return AlertCondition.format(number)
        }
        return SafeText.line(payload, maxCharacters: 200)
    }
}

/// What a rule remembers of one topic.
struct TopicAlertState: Sendable {
    var lastSeen: Double
    var lastValue: String?
    var rate = MessageRate()
    var firing = false
    /// When the condition started to hold, while it waits out the rule's minimum duration.
    var pendingSince: Double?

    /// The alert's edges: fire once the condition has held for the minimum duration, clear when it stops.
    mutating func update(holds: Bool, topic: String, value: String, rule: AlertRule, now: Double) -> [AlertEvent] {
        guard holds else {
            pendingSince = nil
            guard firing else { return [] }
            firing = false
            return [AlertEvent(kind: .cleared, topic: topic, value: value, condition: rule.condition, time: now)]
        }
        guard !firing else { return [] }
        let since = pendingSince ?? now
        guard now - since >= rule.damping.minimumDuration else {
            pendingSince = since
            return []
        }
        pendingSince = nil
        firing = true
        return [AlertEvent(kind: .fired, topic: topic, value: value, condition: rule.condition, time: now)]
    }
}
