import Foundation

/// The dashboard's CSV exports (RFC 4180: comma-separated, a field with a comma, quote or line break in
/// quotes, quotes doubled, lines ending in CRLF). Messages are `time,topic,qos,retain,payload,payload_b64`
/// with exactly one of the last two filled, as in the recording format: a payload that is not valid UTF-8
/// goes base64-encoded, so no byte is lost.
public enum CSVExport {
    public static let messageHeader: [UInt8] = Array("time,topic,qos,retain,payload,payload_b64\r\n".utf8)
    /// With `e` on topics shown through a decoder: the decoded value's compact JSON in a last column.
    public static let decodedMessageHeader: [UInt8] = Array("time,topic,qos,retain,payload,payload_b64,decoded\r\n".utf8)
    public static let seriesHeader: [UInt8] = Array("time,value\r\n".utf8)
    /// A plot with overlaid series: one row per point, named by its series (topic, or `topic field`).
    public static let namedSeriesHeader: [UInt8] = Array("time,series,value\r\n".utf8)

    public static func row(for message: RecordedMessage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + message.topic.utf8.count + message.payload.count * 4 / 3)
        out += message.time.iso8601
        out.append(UInt8(ascii: ","))
        appendField(Array(message.topic.utf8), to: &out)
        out += Array(",\(message.qos),\(message.retain),".utf8)
        if RecordLineEncoder.isValidUTF8(message.payload) {
            appendField(message.payload, to: &out)
            out.append(UInt8(ascii: ","))
        } else {
            out.append(UInt8(ascii: ","))
            out += Array(Data(message.payload).base64EncodedString().utf8)
        }
        out += [13, 10]
        return out
    }

    /// A row under `decodedMessageHeader`: `decoded` empty for a message shown without a decoder.
    public static func row(for message: RecordedMessage, decoded: String?) -> [UInt8] {
        var out = row(for: message)
        out.removeLast(2)
        out.append(UInt8(ascii: ","))
        if let decoded { appendField(Array(decoded.utf8), to: &out) }
        out += [13, 10]
        return out
    }

    /// A plot point: the time as in the recordings, the value as Swift prints a Double (shortest exact form).
    public static func row(time: RecordTimestamp, value: Double) -> [UInt8] {
        Array(time.iso8601) + Array(",\(value)\r\n".utf8)
    }

    /// A point under `namedSeriesHeader`.
    public static func row(time: RecordTimestamp, series: String, value: Double) -> [UInt8] {
        var out = Array(time.iso8601)
        out.append(UInt8(ascii: ","))
        appendField(Array(series.utf8), to: &out)
        out += Array(",\(value)\r\n".utf8)
        return out
    }

    private static func appendField(_ bytes: [UInt8], to out: inout [UInt8]) {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return out += bytes }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
