/// CBOR (RFC 8949): all major types, indefinite lengths, half floats. Tags 0 and 1 (date/time) and 2/3
/// (bignums, as bytes) keep their value; any other tag becomes `{"tag": n, "value": v}`.
enum CBORDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> DecodedValue {
        var reader = ByteReader(bytes, decoder: "cbor")
        var budget = WorkBudget(limits, decoder: "cbor")
        guard let value = try readItem(&reader, &budget, depth: 0) else { throw reader.failure("unexpected break (0xff) at byte 0") }
        guard reader.isAtEnd else { throw reader.failure("\(reader.remaining) bytes left after the value at byte \(reader.position)") }
        return value
    }

    /// The next data item; nil for a "break" that ends an indefinite-length item.
    private static func readItem(_ reader: inout ByteReader, _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue? {
        let start = reader.position
        let initial = try reader.byte()
        let major = initial >> 5
        let info = initial & 0x1F
        if initial == 0xFF { return nil }
        try budget.value(depth: depth)
        if major == 7 { return try readSimple(info, &reader, at: start) }
        let argument = try readArgument(info, &reader, at: start)
        switch major {
        case 0: return argument.map { $0 <= UInt64(Int64.max) ? .integer(Int64($0)) : .unsigned($0) } ?? .null
        case 1:
            guard let argument else { throw reader.failure("indefinite length on a negative integer at byte \(start)") }
            // -1 - n; beyond Int64 it is shown as a double rather than wrong.
            return argument <= UInt64(Int64.max) ? .integer(-1 - Int64(argument)) : .double(-1 - Double(argument))
        case 2, 3:
            var data: [UInt8] = []
            if let argument {
                data = Array(reader.bytes[try reader.take(length(argument, reader))])
            } else {
                // Indefinite: definite chunks of the same major type until a break.
                while true {
                    let chunkStart = reader.position
                    let chunk = try reader.byte()
                    if chunk == 0xFF { break }
                    guard chunk >> 5 == major, let size = try readArgument(chunk & 0x1F, &reader, at: chunkStart) else {
                        throw reader.failure("bad chunk in an indefinite string at byte \(chunkStart)")
                    }
                    data += reader.bytes[try reader.take(length(size, reader))]
                    guard data.count <= budget.limits.maximumOutputBytes else { throw reader.failure("string longer than the output limit") }
                }
            }
            if major == 2 { return .bytes(data) }
            guard let text = String(validating: data, as: UTF8.self) else { throw reader.failure("text string at byte \(start) is not UTF-8") }
            return .string(text)
        case 4:
            var items: [DecodedValue] = []
            if let argument {
                let count = try length(argument, reader)
                for _ in 0..<count {
                    guard let item = try readItem(&reader, &budget, depth: depth + 1) else { throw reader.failure("unexpected break in an array at byte \(reader.position - 1)") }
                    items.append(item)
                }
            } else {
                while let item = try readItem(&reader, &budget, depth: depth + 1) { items.append(item) }
            }
            return .array(items)
        case 5:
            var members: [DecodedValue.Member] = []
            var count: Int?
            if let argument { count = try length(argument, reader) }
            var index = 0
            while count.map({ index < $0 }) ?? true {
                guard let key = try readItem(&reader, &budget, depth: depth + 1) else {
                    if count == nil { break }
                    throw reader.failure("unexpected break in a map at byte \(reader.position - 1)")
                }
                guard let value = try readItem(&reader, &budget, depth: depth + 1) else { throw reader.failure("map key without a value at byte \(reader.position - 1)") }
                members.append(DecodedValue.Member(key.keyText, value))
                index += 1
            }
            return .object(members)
        default:  // 6: tag
            guard let tag = argument else { throw reader.failure("indefinite length on a tag at byte \(start)") }
            guard let inner = try readItem(&reader, &budget, depth: depth + 1) else { throw reader.failure("tag without a value at byte \(start)") }
            if tag <= 3 { return inner }
            return .object([DecodedValue.Member("tag", .unsigned(tag)), DecodedValue.Member("value", inner)])
        }
    }

    /// A length from the payload, checked against what is left so that no allocation trusts it.
    private static func length(_ argument: UInt64, _ reader: ByteReader) throws(DecodeFailure) -> Int {
        guard argument <= UInt64(reader.remaining) else { throw reader.truncated(needing: argument > UInt64(Int.max) ? Int.max : Int(argument)) }
        return Int(argument)
    }

    /// The argument of the initial byte; nil for an indefinite length (31).
    private static func readArgument(_ info: UInt8, _ reader: inout ByteReader, at start: Int) throws(DecodeFailure) -> UInt64? {
        switch info {
        case 0..<24: return UInt64(info)
        case 24...27: return try reader.bigEndian(1 << Int(info - 24))
        case 31: return nil
        default: throw reader.failure("reserved additional information \(info) at byte \(start)")
        }
    }

    private static func readSimple(_ info: UInt8, _ reader: inout ByteReader, at start: Int) throws(DecodeFailure) -> DecodedValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22, 23: return .null
        case 24:
            let value = try reader.byte()
            return .object([DecodedValue.Member("simple", .integer(Int64(value)))])
        case 25: return .double(halfToDouble(UInt16(try reader.bigEndian(2))))
        case 26: return .double(Double(Float(bitPattern: UInt32(try reader.bigEndian(4)))))
        case 27: return .double(Double(bitPattern: try reader.bigEndian(8)))
        case 0..<20: return .object([DecodedValue.Member("simple", .integer(Int64(info)))])
        default: throw reader.failure("reserved simple value \(info) at byte \(start)")
        }
    }

    /// IEEE 754 half precision, as RFC 8949 appendix D describes it.
    static func halfToDouble(_ half: UInt16) -> Double {
        let exponent = Int(half >> 10) & 0x1F
        let mantissa = Double(half & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = mantissa * 0x1p-24
        case 31: magnitude = mantissa == 0 ? .infinity : .nan
        default: magnitude = (mantissa + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return half & 0x8000 != 0 ? -magnitude : magnitude
    }
}
