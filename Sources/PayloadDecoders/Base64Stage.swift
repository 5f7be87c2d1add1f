/// base64 text to bytes: the standard and the URL-safe alphabets, padding optional, whitespace ignored.
enum Base64Stage {
    static func decode(_ input: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(input.count * 3 / 4 + 3, limits.maximumOutputBytes))
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for (offset, byte) in input.enumerated() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if byte == UInt8(ascii: "=") {
                padding += 1
                guard padding <= 2 else { throw DecodeFailure("base64", "too much padding at byte \(offset)") }
                continue
            }
            guard padding == 0 else { throw DecodeFailure("base64", "data after padding at byte \(offset)") }
            guard let value = sextet(byte) else {
                throw DecodeFailure("base64", "byte 0x\(String(byte, radix: 16)) at \(offset) is not base64")
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                guard output.count <= limits.maximumOutputBytes else {
                    throw DecodeFailure("base64", "output larger than \(limits.maximumOutputBytes) bytes (limit)")
                }
            }
        }
        // 6 leftover bits cannot be a byte: one base64 character too many (or one missing).
        guard bits < 6 else { throw DecodeFailure("base64", "truncated: a lone character at the end") }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
