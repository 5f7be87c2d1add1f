import MQTTCore
import MQTTRecording
import NIOCore

/// What `mqdash replay` does to each recorded message, without any IO: which ones go (topic filters, time
/// range), under which topic (`--strip-prefix`, then `--prefix`), with which QoS and retain flag.
struct ReplayPlan: Sendable {
    /// `--from` / `--to`: an absolute time, or seconds after the recording's first message.
    enum TimeBound: Sendable, Hashable {
        case absolute(RecordTimestamp)
        case offset(Duration)

        init?(argument: String) {
            if let seconds = Double(argument), seconds >= 0, seconds.isFinite {
                self = .offset(.microseconds(Int64(seconds * 1_000_000)))
            } else if let time = RecordTimestamp(parsing: Array(argument.utf8)) {
                self = .absolute(time)
            } else {
                return nil
            }
        }

        func resolved(firstMessage: RecordTimestamp) -> RecordTimestamp {
            switch self {
            case .absolute(let time): return time
            case .offset(let duration):
                let (seconds, attoseconds) = duration.components
                return RecordTimestamp(microsecondsSince1970: firstMessage.microsecondsSince1970 + seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
            }
        }
    }

    enum Decision: Equatable {
        case send(PublishPacket)
        /// Not wanted (-t, --from, --to): counted, not reported line by line.
        case filtered
        /// Wanted but cannot be sent as it is: reported with its line number.
        case invalid(String)
    }

    var filters: [String] = []
    var from: TimeBound?
    var to: TimeBound?
    var stripPrefix: String?
    var prefix: String?
    var qos: QoS?
    var noRetain = false

    func decide(_ message: RecordedMessage, firstMessage: RecordTimestamp) -> Decision {
        if !filters.isEmpty && !filters.contains(where: { Topic.matches(filter: $0, topic: message.topic) }) { return .filtered }
        if let from, message.time < from.resolved(firstMessage: firstMessage) { return .filtered }
        if let to, message.time > to.resolved(firstMessage: firstMessage) { return .filtered }
        var topic = message.topic
        if let stripPrefix, topic.hasPrefix(stripPrefix) { topic.removeFirst(stripPrefix.count) }
        if let prefix { topic = prefix + topic }
        do throws(TopicValidationError) { try Topic.validateName(topic) } catch {
            return .invalid("topic '\(topic)' cannot be published: \(error)")
        }
        guard let recordedQoS = QoS(rawValue: message.qos) else { return .invalid("QoS \(message.qos)") }
        return .send(
            PublishPacket(
                topic: topic, payload: ByteBuffer(bytes: message.payload), qos: qos ?? recordedQoS,
                retain: message.retain && !noRetain, properties: message.properties))
    }
}
