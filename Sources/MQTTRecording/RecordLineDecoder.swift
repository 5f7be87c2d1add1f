import Foundation

/// What one line of a recording holds.
public enum RecordLine: Sendable, Hashable {
    case header(RecordingHeader)
    case message(RecordedMessage)
    /// An empty line (mosquitto_sub writes one for a payload `%J` cannot embed); skipped without complaint.
    case blank
}

/// Why a line was not read; the reader adds the line number.
public struct RecordLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Reads one line in any of the three dialects: mqdash's own (`ts`, `payload`/`payload_b64`, v5 properties in
/// snake case), and `-F %J` of `mqdash sub` and `mosquitto_sub` (`tst`, `retain` as 0/1, the payload embedded as
/// JSON, properties in an object with mosquitto's names).
public enum RecordLineDecoder {
    public static func decode(_ line: [UInt8]) throws(RecordLineError) -> RecordLine {
        if let message = RecordLineFastPath.message(line) { return .message(message) }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return .blank }
        let tree: JSONTree
        do throws(JSONTree.Failure) { tree = try JSONTree.parse(line) } catch {
            switch error {
            case .endOfInput: throw RecordLineError("truncated JSON")
            case .invalid(let at), .trailingBytes(let at): throw RecordLineError("not JSON (byte \(at + 1))")
            case .tooDeep: throw RecordLineError("JSON nested too deep")
            }
        }
        guard case .object = tree else { throw RecordLineError("not a JSON object") }
        if let version = tree["mqdash_recording"] { return .header(try header(tree, version: version, line: line)) }
        if tree["ts"] != nil { return .message(try ownMessage(tree, line: line)) }
        if tree["tst"] != nil { return .message(try subJSONMessage(tree, line: line)) }
        throw RecordLineError("not a message: no \"ts\" (mqdash) or \"tst\" (-F %J) field")
    }

    private static func header(_ tree: JSONTree, version: JSONTree, line: [UInt8]) throws(RecordLineError) -> RecordingHeader {
        guard let number = integer(version, line), number >= 1 else { throw RecordLineError("bad \"mqdash_recording\" version") }
        guard number <= RecordingHeader.currentVersion else {
            throw RecordLineError("recording format version \(number) is newer than this mqdash reads (\(RecordingHeader.currentVersion))")
        }
        var filters: [String] = []
        if case .array(let items)? = tree["filters"] {
            for case .string(let bytes) in items { filters.append(String(decoding: bytes, as: UTF8.self)) }
        }
        return RecordingHeader(
            version: Int(number), broker: text(tree["broker"]), filters: filters,
            start: text(tree["start"]).flatMap { RecordTimestamp(parsing: Array($0.utf8)) }, tool: text(tree["tool"]))
    }

    private static func ownMessage(_ tree: JSONTree, line: [UInt8]) throws(RecordLineError) -> RecordedMessage {
        var message = try common(tree, timeKey: "ts", line: line)
        switch (tree["payload"], tree["payload_b64"]) {
        case (.string(let bytes)?, nil): message.payload = bytes
        case (.null?, nil), (nil, nil): message.payload = []
        case (nil, .string(let encoded)?):
            guard let data = Data(base64Encoded: Data(encoded)) else { throw RecordLineError("\"payload_b64\" is not base64") }
            message.payload = Array(data)
        default: throw RecordLineError("needs one \"payload\" string or one \"payload_b64\" string")
        }
        if let pairs = tree["user_properties"] {
            guard case .array(let items) = pairs else { throw RecordLineError("\"user_properties\" is not a list of pairs") }
            for item in items {
                guard case .array(let pair) = item, pair.count == 2, case .string(let key) = pair[0], case .string(let value) = pair[1] else {
                    throw RecordLineError("\"user_properties\" is not a list of [key, value] pairs")
                }
                message.userProperties.append(.init(String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
        }
        message.contentType = text(tree["content_type"])
        message.responseTopic = text(tree["response_topic"])
        if let encoded = tree["correlation_data_b64"] {
            guard case .string(let bytes) = encoded, let data = Data(base64Encoded: Data(bytes)) else {
                throw RecordLineError("\"correlation_data_b64\" is not base64")
            }
            message.correlationData = Array(data)
        }
        message.messageExpiry = try optionalNumber(tree["message_expiry"], "message_expiry", line: line)
        message.payloadFormat = try optionalNumber(tree["payload_format"], "payload_format", line: line)
        return message
    }

    /// `-F %J`: the payload is the JSON text itself (mosquitto re-serializes it compactly); `null` is empty.
    private static func subJSONMessage(_ tree: JSONTree, line: [UInt8]) throws(RecordLineError) -> RecordedMessage {
        var message = try common(tree, timeKey: "tst", line: line)
        switch tree["payload"] {
        case .null?, nil: message.payload = []
        default: message.payload = Array(line[tree.rawRange(of: "payload")!])
        }
        if let properties = tree["properties"] {
            guard case .object(let members) = properties else { throw RecordLineError("\"properties\" is not an object") }
            for member in members {
                switch (member.key, member.value) {
                case ("user-properties", .object(let pairs)):
                    for pair in pairs {
                        guard case .string(let value) = pair.value else { continue }
                        message.userProperties.append(.init(pair.key, String(decoding: value, as: UTF8.self)))
                    }
                case ("content-type", .string(let value)): message.contentType = String(decoding: value, as: UTF8.self)
                case ("response-topic", .string(let value)): message.responseTopic = String(decoding: value, as: UTF8.self)
                case ("correlation-data", .string(let value)): message.correlationData = value
                case ("message-expiry-interval", _):
                    message.messageExpiry = try optionalNumber(member.value, member.key, line: line)
                case ("payload-format-indicator", _):
                    message.payloadFormat = try optionalNumber(member.value, member.key, line: line)
                default: break
                }
            }
        }
        return message
    }

    /// Time, topic, QoS and retain, which every dialect has.
    private static func common(_ tree: JSONTree, timeKey: String, line: [UInt8]) throws(RecordLineError) -> RecordedMessage {
        guard case .string(let timeText)? = tree[timeKey], let time = RecordTimestamp(parsing: timeText) else {
            throw RecordLineError("\"\(timeKey)\" is not a time like 2026-12-03T09:12:00.123456Z")
        }
        guard case .string(let topicBytes)? = tree["topic"], !topicBytes.isEmpty else { throw RecordLineError("no \"topic\" string") }
        let qos: UInt8 = try optionalNumber(tree["qos"], "qos", line: line) ?? 0
        guard qos <= 2 else { throw RecordLineError("\"qos\" must be 0, 1 or 2") }
        let retain: Bool
        switch tree["retain"] {
        case .bool(let value)?: retain = value
        case nil: retain = false
        case let value?:
            // mosquitto_sub writes 0 or 1.
            guard let number = integer(value, line), number == 0 || number == 1 else { throw RecordLineError("\"retain\" must be true or false") }
            retain = number == 1
        }
        return RecordedMessage(time: time, topic: String(decoding: topicBytes, as: UTF8.self), payload: [], qos: qos, retain: retain)
    }

    private static func text(_ value: JSONTree?) -> String? {
        guard case .string(let bytes)? = value else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func integer(_ value: JSONTree, _ line: [UInt8]) -> Int64? {
        guard case .number(let range) = value, range.count <= 18 else { return nil }
        return Int64(String(decoding: line[range], as: UTF8.self))
    }

    private static func optionalNumber<Number: FixedWidthInteger>(
        _ value: JSONTree?, _ name: String, line: [UInt8]
    ) throws(RecordLineError) -> Number? {
        guard let value else { return nil }
        guard let number = integer(value, line), let exact = Number(exactly: number) else {
            throw RecordLineError("\"\(name)\" must be a whole number from \(Number.min) to \(Number.max)")
        }
        return exact
    }
}
