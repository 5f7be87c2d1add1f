import Foundation
import MQTTCore
import NIOCore

/// Turns a received message into mosquitto_sub's output: plain payload, `-v`'s `topic payload`,
/// or a `-F` format string with `%` fields, `@` time fields and backslash escapes.
struct MessageFormatter {
    var verbose: Bool
    var format: String?
    var noNewline: Bool

    /// The bytes to write for `message` received at `time`; `error` is set for a `%J` payload that is not JSON.
    func render(_ message: PublishPacket, receivedAt time: Date) -> (output: [UInt8], error: String?) {
        var out: [UInt8] = []
        guard let format else {
            if verbose {
                out.append(contentsOf: Array(message.topic.utf8))
                out.append(UInt8(ascii: " "))
            }
            out.append(contentsOf: payloadBytes(message))
            if !noNewline { out.append(UInt8(ascii: "\n")) }
            return (out, nil)
        }
        var error: String?
        var characters = Array(format.unicodeScalars)[...]
        while let scalar = characters.popFirst() {
            switch scalar {
            case "%":
                guard let field = characters.popFirst() else { out.append(UInt8(ascii: "%")); break }
                if field == "J", let json = jsonRecord(message, time: time, payloadAsJSON: true) {
                    out.append(contentsOf: Array(json.utf8))
                } else if field == "J" {
                    error = "Error: Message payload is not valid JSON on topic \(message.topic)."
                } else {
                    out.append(contentsOf: percentField(field, message: message, time: time))
                }
            case "@":
                guard let field = characters.popFirst() else { out.append(UInt8(ascii: "@")); break }
                out.append(contentsOf: Array(timeField(field, time: time).utf8))
            case "\\":
                guard let escaped = characters.popFirst() else { out.append(UInt8(ascii: "\\")); break }
                out.append(contentsOf: Array(Self.unescape(escaped).utf8))
            default:
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        if !noNewline { out.append(UInt8(ascii: "\n")) }
        return (out, error)
    }

    private func payloadBytes(_ message: PublishPacket) -> [UInt8] {
        message.payload.getBytes(at: message.payload.readerIndex, length: message.payload.readableBytes) ?? []
    }

    private func percentField(_ field: Unicode.Scalar, message: PublishPacket, time: Date) -> [UInt8] {
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
        case "D":
            guard let data = properties.correlationData else { return [] }
            return data.getBytes(at: data.readerIndex, length: data.readableBytes) ?? []
        default: text = "%" + String(field)
        }
        return Array(text.utf8)
    }

    /// `%j`/`%J`: mosquitto's JSON record. With `payloadAsJSON` the payload is embedded as JSON, or nil if it is not JSON.
    private func jsonRecord(_ message: PublishPacket, time: Date, payloadAsJSON: Bool) -> String? {
        let payload = payloadBytes(message)
        var json = "{\"tst\":\"\(Self.isoTime(time, fractional: true))\",\"topic\":\(Self.jsonString(message.topic)),"
        json += "\"qos\":\(message.qos.rawValue),\"retain\":\(message.retain ? 1 : 0),\"payloadlen\":\(payload.count),"
        var propertyFields: [String] = []
        let users = message.properties.userProperties
        if !users.isEmpty {
            propertyFields.append("\"user-properties\":{" + users.map { "\(Self.jsonString($0.key)):\(Self.jsonString($0.value))" }.joined(separator: ",") + "}")
        }
        if let contentType = message.properties.contentType { propertyFields.append("\"content-type\":\(Self.jsonString(contentType))") }
        if let responseTopic = message.properties.responseTopic { propertyFields.append("\"response-topic\":\(Self.jsonString(responseTopic))") }
        if !propertyFields.isEmpty { json += "\"properties\":{" + propertyFields.joined(separator: ",") + "}," }
        if payloadAsJSON {
            guard (try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed])) != nil else { return nil }
            json += "\"payload\":" + String(decoding: payload, as: UTF8.self) + "}"
        } else {
            json += "\"payload\":" + Self.jsonString(String(decoding: payload, as: UTF8.self)) + "}"
        }
        return json
    }

    private func timeField(_ field: Unicode.Scalar, time: Date) -> String {
        if field == "@" { return "@" }
        if field == "N" {
            let nanos = Int((time.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)) * 1_000_000_000)
            return Self.pad(nanos, 9)
        }
        if field == "s" { return String(Int(time.timeIntervalSince1970)) }
        let components = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        switch field {
        case "Y": return String(components.year ?? 0)
        case "m": return Self.pad(components.month ?? 0, 2)
        case "d": return Self.pad(components.day ?? 0, 2)
        case "H": return Self.pad(components.hour ?? 0, 2)
        case "M": return Self.pad(components.minute ?? 0, 2)
        case "S": return Self.pad(components.second ?? 0, 2)
        default: return "@" + String(field)
        }
    }

    // MARK: - Helpers

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        return calendar
    }()

    static func isoTime(_ time: Date, fractional: Bool) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: time)
        var text = "\(pad(c.year ?? 0, 4))-\(pad(c.month ?? 0, 2))-\(pad(c.day ?? 0, 2))T\(pad(c.hour ?? 0, 2)):\(pad(c.minute ?? 0, 2)):\(pad(c.second ?? 0, 2))"
        if fractional {
            let micros = Int((time.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)) * 1_000_000)
            text += ".\(pad(micros, 6))Z"
        }
        let offset = TimeZone.current.secondsFromGMT(for: time)
        let sign = offset < 0 ? "-" : "+"
        return text + "\(sign)\(pad(abs(offset) / 3600, 2))\(pad(abs(offset) % 3600 / 60, 2))"
    }

    static func unixTime(_ time: Date) -> String {
        let seconds = time.timeIntervalSince1970
        let whole = Int(seconds)
        let nanos = Int((seconds - Double(whole)) * 1_000_000_000)
        return "\(whole).\(pad(nanos, 9))"
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

    static func unescape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "n": "\n"
        case "t": "\t"
        case "r": "\r"
        case "a": "\u{07}"
        case "e": "\u{1B}"
        case "0": "\0"
        case "\\": "\\"
        default: "\\" + String(scalar)
        }
    }
}
