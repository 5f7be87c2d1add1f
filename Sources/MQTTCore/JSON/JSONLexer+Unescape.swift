extension JSONLexer {
    /// The UTF-8 bytes a JSON string's body stands for (the lexer has checked its escapes).
    /// A lone UTF-16 surrogate becomes U+FFFD, as it cannot be UTF-8.
    public static func unescape(_ body: ArraySlice<UInt8>) -> [UInt8] {
        guard body.contains(UInt8(ascii: "\\")) else { return Array(body) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var index = body.startIndex
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= body.endIndex else { return nil }
            var code: UInt32 = 0
            for byte in body[position..<position + 4] {
                guard let digit = JSONLexer.hexValue(byte) else { return nil }
                code = code << 4 | UInt32(digit)
            }
            return code
        }
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.endIndex else {
                out.append(byte)
                index += 1
                continue
            }
            let escaped = body[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: index) ?? 0xFFFD
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 1 < body.endIndex, body[index] == UInt8(ascii: "\\"),
                    body[index + 1] == UInt8(ascii: "u"), let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(escaped)
            }
        }
        return out
    }
}
