import Foundation
import MQTTCore
import NIOCore

/// Turns a received message into mosquitto_sub's output: plain payload, `-v`'s `topic payload`,
/// or a `-F` format with `%` fields, `@` time fields and escapes.
struct MessageFormatter {
    var verbose: Bool
    var format: OutputFormat?
    var noNewline: Bool
    /// `--pretty`: JSON records over several tab-indented lines, like mosquitto's.
    var prettyJSON = false

    /// The bytes to write for `message` received at `time`; `error` is set for a `%J` payload that is not JSON.
    func render(_ message: PublishPacket, receivedAt time: Date) -> (output: [UInt8], error: String?) {
        var out: [UInt8] = []
        guard let format else {
            if verbose {
                out.append(contentsOf: Array(message.topic.utf8))
                out.append(UInt8(ascii: " "))
                // mosquitto_sub prints "(null)" for an empty payload in verbose mode.
                out.append(contentsOf: message.payload.readableBytes == 0 ? Array("(null)".utf8) : payloadBytes(message))
            } else {
                // Without -v an empty payload prints nothing, not even the newline (mosquitto_sub).
                if message.payload.readableBytes == 0 { return ([], nil) }
                out.append(contentsOf: payloadBytes(message))
            }
            if !noNewline { out.append(UInt8(ascii: "\n")) }
            return (out, nil)
        }
        var error: String?
        for token in format.tokens {
            switch token {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
            case .field("J", _):
                if let json = jsonRecord(message, time: time, payloadAsJSON: true) {
                    out.append(contentsOf: Array(json.utf8))
                } else {
                    error = "Error: Message payload is not valid JSON on topic \(message.topic)."
                }
            case .field(let field, let options):
                out.append(contentsOf: Self.apply(options, to: fieldBytes(field, message: message, time: time)))
            case .time(let field):
                out.append(contentsOf: Array(Self.timeField(field, time: time).utf8))
            }
        }
        if !noNewline { out.append(UInt8(ascii: "\n")) }
        return (out, error)
    }

    private func payloadBytes(_ message: PublishPacket) -> [UInt8] {
        message.payload.getBytes(at: message.payload.readerIndex, length: message.payload.readableBytes) ?? []
    }

    private func fieldBytes(_ field: Character, message: PublishPacket, time: Date) -> [UInt8] {
        let properties = message.properties
        let text: String
        switch field {
        case "%": text = "%"
        case "t": text = message.topic
        case "p": return payloadBytes(message)
        case "q": text = String(message.qos.rawValue)
        case "r": text = message.retain ? "1" : "0"
        case "l": text = String(message.payload.readableBytes)
        case "m": text = String(message.packetID ?? 0)
        case "x": text = payloadBytes(message).map { Self.hex($0, uppercase: false) }.joined()
        case "X": text = payloadBytes(message).map { Self.hex($0, uppercase: true) }.joined()
        case "I": text = Self.isoTime(time, fractional: false)
        case "U": text = Self.unixTime(time)
        case "j": text = jsonRecord(message, time: time, payloadAsJSON: false) ?? ""
        case "P": text = properties.userProperties.map { "\($0.key):\($0.value)" }.joined(separator: " ")
        case "C": text = properties.contentType ?? ""
        case "R": text = properties.responseTopic ?? ""
        case "E": text = properties.messageExpiryInterval.map(String.init) ?? ""
        case "F": text = properties.payloadFormatIndicator.map(String.init) ?? ""
        case "S": text = properties.subscriptionIdentifiers.map(String.init).joined(separator: ",")
        case "A": text = properties.topicAlias.map(String.init) ?? ""
        case "D":
            guard let data = properties.correlationData else { return [] }
            return data.getBytes(at: data.readerIndex, length: data.readableBytes) ?? []
        default: text = ""
        }
        return Array(text.utf8)
    }

    /// Width and precision as printf applies them: precision cuts, width pads (zeros only on the left).
    static func apply(_ options: OutputFormat.FieldOptions, to bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        if let precision = options.precision, bytes.count > precision { bytes = Array(bytes.prefix(precision)) }
        guard let width = options.width, bytes.count < width else { return bytes }
        let padding = [UInt8](repeating: options.zeroPad && !options.leftAlign ? UInt8(ascii: "0") : UInt8(ascii: " "), count: width - bytes.count)
        return options.leftAlign ? bytes + padding : padding + bytes
    }

    /// `%j`/`%J`: mosquitto's JSON record. With `payloadAsJSON` the payload is embedded as JSON, or nil if it is not JSON.
    private func jsonRecord(_ message: PublishPacket, time: Date, payloadAsJSON: Bool) -> String? {
        let payload = payloadBytes(message)
        var fields: [(String, String)] = [
            ("tst", Self.jsonString(Self.isoTime(time, fractional: true))),
            ("topic", Self.jsonString(message.topic)),
            ("qos", String(message.qos.rawValue)),
            ("retain", message.retain ? "1" : "0"),
            ("payloadlen", String(payload.count)),
        ]
        if let id = message.packetID { fields.append(("mid", String(id))) }
        var propertyFields: [(String, String)] = []
        let users = message.properties.userProperties
        if !users.isEmpty { propertyFields.append(("user-properties", jsonObject(users.map { ($0.key, Self.jsonString($0.value)) }, depth: 2))) }
        if let contentType = message.properties.contentType { propertyFields.append(("content-type", Self.jsonString(contentType))) }
        if let responseTopic = message.properties.responseTopic { propertyFields.append(("response-topic", Self.jsonString(responseTopic))) }
        if !propertyFields.isEmpty { fields.append(("properties", jsonObject(propertyFields, depth: 1))) }
        if payloadAsJSON {
            guard (try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])) != nil else { return nil }
            fields.append(("payload", String(decoding: payload, as: UTF8.self)))
        } else {
            fields.append(("payload", Self.jsonString(String(decoding: payload, as: UTF8.self))))
        }
        return jsonObject(fields, depth: 0)
    }

    private func jsonObject(_ fields: [(String, String)], depth: Int) -> String {
        let members = fields.map { (Self.jsonString($0.0), $0.1) }
        guard prettyJSON else { return "{" + members.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}" }
        let indent = String(repeating: "\t", count: depth + 1)
        let body = members.map { "\(indent)\($0.0):\t\($0.1)" }.joined(separator: ",\n")
        return "{\n" + body + "\n" + String(repeating: "\t", count: depth) + "}"
    }

    // MARK: - Time and text helpers

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        return calendar
    }()

    static func timeField(_ field: Character, time: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: time)
        switch field {
        case "@": return "@"
        case "N": return pad(Int((time.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)) * 1_000_000_000), 9)
        case "s": return String(Int(time.timeIntervalSince1970))
        case "Y": return String(c.year ?? 0)
        case "y": return pad((c.year ?? 0) % 100, 2)
        case "m": return pad(c.month ?? 0, 2)
        case "d": return pad(c.day ?? 0, 2)
        case "H": return pad(c.hour ?? 0, 2)
        case "M": return pad(c.minute ?? 0, 2)
        case "S": return pad(c.second ?? 0, 2)
        case "j": return pad(calendar.ordinality(of: .day, in: .year, for: time) ?? 0, 3)
        case "F": return "\(c.year ?? 0)-\(pad(c.month ?? 0, 2))-\(pad(c.day ?? 0, 2))"
        case "T": return "\(pad(c.hour ?? 0, 2)):\(pad(c.minute ?? 0, 2)):\(pad(c.second ?? 0, 2))"
        case "z": return utcOffset(time)
        case "Z": return TimeZone.current.abbreviation(for: time) ?? "UTC"
        case "a", "A": return weekdayName(c.weekday ?? 1, full: field == "A")
        case "b", "B": return monthName(c.month ?? 1, full: field == "B")
        default: return ""
        }
    }

    private static func weekdayName(_ weekday: Int, full: Bool) -> String {
        let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let name = names[(weekday - 1) % 7]
        return full ? name : String(name.prefix(3))
    }

    private static func monthName(_ month: Int, full: Bool) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let name = names[(month - 1) % 12]
        return full ? name : String(name.prefix(3))
    }

    static func utcOffset(_ time: Date) -> String {
        let offset = TimeZone.current.secondsFromGMT(for: time)
        return (offset < 0 ? "-" : "+") + pad(abs(offset) / 3600, 2) + pad(abs(offset) % 3600 / 60, 2)
    }

    static func isoTime(_ time: Date, fractional: Bool) -> String {
        var text = timeField("F", time: time) + "T" + timeField("T", time: time)
        if fractional {
            text += "." + pad(Int((time.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)) * 1_000_000), 6) + "Z"
        }
        return text + utcOffset(time)
    }

    static func unixTime(_ time: Date) -> String {
        let seconds = time.timeIntervalSince1970
        let whole = Int(seconds)
        return "\(whole).\(pad(Int((seconds - Double(whole)) * 1_000_000_000), 9))"
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func hex(_ byte: UInt8, uppercase: Bool) -> String {
        let digits = String(byte, radix: 16, uppercase: uppercase)
        return byte < 16 ? "0" + digits : digits
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u00" + hex(UInt8(scalar.value), uppercase: false)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
