/// Compact JSON text of a decoded value, on one line. Bytes become a string `0x` + lowercase hex, a non-finite
/// double becomes the string `NaN`, `Infinity` or `-Infinity` (JSON has no such numbers).
extension DecodedValue {
    public var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }

    public var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        Self.write(self, into: &out, limit: .max)
        return out
    }

    /// The JSON text cut after about `limit` bytes (then ending in `…`), without writing the rest first.
    func jsonText(limit: Int) -> String {
        var out: [UInt8] = []
        Self.write(self, into: &out, limit: limit)
        guard out.count > limit else { return String(decoding: out, as: UTF8.self) }
        return String(decoding: out.prefix(limit), as: UTF8.self) + "…"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Stops early once `out` holds more than `limit` bytes (the caller cuts it).
    static func write(_ value: DecodedValue, into out: inout [UInt8], limit: Int) {
        if out.count > limit { return }
        switch value {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out, limit: limit)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out, limit: limit)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text): writeString(text, into: &out)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .unsigned(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: doubleText(number).utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .bytes(let bytes):
            out.append(contentsOf: "\"0x".utf8)
            for byte in bytes {
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// `1.5`, `20` for a whole number, `1e+21` beyond what prints exactly; never `inf` or `nan` (not JSON).
    static func doubleText(_ number: Double) -> String {
        if number.isNaN { return "\"NaN\"" }
        if number.isInfinite { return number < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            // Every other control byte is escaped, so the text never carries one to a terminal.
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
