import Foundation

/// Writes messages and the header as single JSON lines (ending in `\n`), in a fixed field order so that equal
/// messages give equal lines.
public enum RecordLineEncoder {
    public static func line(for message: RecordedMessage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + message.topic.utf8.count + message.payload.count * 4 / 3)
        append(message, to: &out)
        return out
    }

    /// `line(for:)` appended to `out`, which may hold other lines: the recorder gathers lines in one buffer
    /// without an array per message.
    public static func append(_ message: RecordedMessage, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"ts":""#.utf8)
        message.time.appendISO8601(to: &out)
        out.append(contentsOf: #"","topic":"#.utf8)
        appendString(message.topic, to: &out)
        out.append(contentsOf: #","qos":"#.utf8)
        out.append(UInt8(ascii: "0") + min(message.qos, 9))
        out.append(contentsOf: (message.retain ? #","retain":true"# : #","retain":false"#).utf8)
        if !message.userProperties.isEmpty {
            out.append(contentsOf: #","user_properties":["#.utf8)
            for (index, property) in message.userProperties.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "["))
                appendString(property.key, to: &out)
                out.append(UInt8(ascii: ","))
                appendString(property.value, to: &out)
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "]"))
        }
        if let contentType = message.contentType {
            out.append(contentsOf: #","content_type":"#.utf8)
            appendString(contentType, to: &out)
        }
        if let responseTopic = message.responseTopic {
            out.append(contentsOf: #","response_topic":"#.utf8)
            appendString(responseTopic, to: &out)
        }
        if let correlationData = message.correlationData {
            out.append(contentsOf: #","correlation_data_b64":""#.utf8)
            out.append(contentsOf: Data(correlationData).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        if let expiry = message.messageExpiry {
            out.append(contentsOf: #","message_expiry":"#.utf8)
            out.append(contentsOf: String(expiry).utf8)
        }
        if let format = message.payloadFormat {
            out.append(contentsOf: #","payload_format":"#.utf8)
            out.append(contentsOf: String(format).utf8)
        }
        if isValidUTF8(message.payload) {
            out.append(contentsOf: #","payload":"#.utf8)
            appendEscaped(message.payload, to: &out)
        } else {
            out.append(contentsOf: #","payload_b64":""#.utf8)
            out.append(contentsOf: Data(message.payload).base64EncodedString().utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// A message line with `"decoded"`: the value its topic's decoder made of it, as JSON (`e` in the
    /// dashboard). Readers of recordings ignore the key, so such an export still opens and replays.
    public static func line(for message: RecordedMessage, decodedJSON: String?) -> [UInt8] {
        var out = line(for: message)
        guard let decodedJSON else { return out }
        out.removeLast(2)
        out.append(contentsOf: #","decoded":"#.utf8)
        out.append(contentsOf: decodedJSON.utf8)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    public static func line(for header: RecordingHeader) -> [UInt8] {
        var out: [UInt8] = Array(#"{"mqdash_recording":"#.utf8) + Array(String(header.version).utf8)
        if let broker = header.broker {
            out.append(contentsOf: #","broker":"#.utf8)
            appendString(broker, to: &out)
        }
        out.append(contentsOf: #","filters":["#.utf8)
        for (index, filter) in header.filters.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(filter, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let start = header.start {
            out.append(contentsOf: #","start":""#.utf8)
            start.appendISO8601(to: &out)
            out.append(UInt8(ascii: "\""))
        }
        if let tool = header.tool {
            out.append(contentsOf: #","tool":"#.utf8)
            appendString(tool, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        // Cheap for the common ASCII payload; otherwise decoding replaces each bad sequence, so equal bytes mean valid.
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendEscaped($0, to: &out) }
    }

    /// A JSON string of valid UTF-8 bytes: quotes, backslashes and control characters escaped, the rest as is.
    /// Runs of bytes that need no escape are copied whole.
    static func appendEscaped(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if bytes.withContiguousStorageIfAvailable({ appendEscapedRuns($0, to: &out) }) == nil {
            Array(bytes).withUnsafeBufferPointer { appendEscapedRuns($0, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscapedRuns(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for (index, byte) in bytes.enumerated() {
            let escaped: UInt8
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escaped = byte
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            case 0..<0x20, 0x7F: escaped = 0
            default: continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            out.append(UInt8(ascii: "\\"))
            if escaped != 0 {
                out.append(escaped)
            } else {
                out.append(contentsOf: "u00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
