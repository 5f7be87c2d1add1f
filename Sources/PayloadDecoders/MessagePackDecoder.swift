/// MessagePack (msgpack.org spec): every format family. Map keys that are not strings become their JSON
/// text; an extension value becomes `{"ext": type, "data": "0x..."}`.
enum MessagePackDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> DecodedValue {
        var reader = ByteReader(bytes, decoder: "msgpack")
        var budget = WorkBudget(limits, decoder: "msgpack")
        let value = try readValue(&reader, &budget, depth: 0)
        guard reader.isAtEnd else { throw reader.failure("\(reader.remaining) bytes left after the value at byte \(reader.position)") }
        return value
    }

    private static func readValue(_ reader: inout ByteReader, _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue {
        try budget.value(depth: depth)
        let start = reader.position
        let type = try reader.byte()
        switch type {
        case 0x00...0x7F: return .integer(Int64(type))
        case 0x80...0x8F: return try readMap(Int(type & 0x0F), &reader, &budget, depth: depth)
        case 0x90...0x9F: return try readArray(Int(type & 0x0F), &reader, &budget, depth: depth)
        case 0xA0...0xBF: return .string(try reader.string(reader.take(Int(type & 0x1F))))
        case 0xC0: return .null
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4, 0xC5, 0xC6:
            let length = try reader.bigEndian(1 << Int(type - 0xC4))
            return .bytes(Array(reader.bytes[try reader.take(Int(length))]))
        case 0xC7, 0xC8, 0xC9:
            let length = try reader.bigEndian(1 << Int(type - 0xC7))
            return try readExtension(length: Int(length), &reader)
        case 0xCA: return .double(Double(Float(bitPattern: UInt32(try reader.bigEndian(4)))))
        case 0xCB: return .double(Double(bitPattern: try reader.bigEndian(8)))
        case 0xCC, 0xCD, 0xCE, 0xCF:
            let value = try reader.bigEndian(1 << Int(type - 0xCC))
            return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .unsigned(value)
        case 0xD0, 0xD1, 0xD2, 0xD3:
            let size = 1 << Int(type - 0xD0)
            let raw = try reader.bigEndian(size)
            // Sign-extends from the value's own width.
            let shift = UInt64(64 - 8 * size)
            return .integer(Int64(bitPattern: raw << shift) >> Int64(shift))
        case 0xD4, 0xD5, 0xD6, 0xD7, 0xD8: return try readExtension(length: 1 << Int(type - 0xD4), &reader)
        case 0xD9, 0xDA, 0xDB:
            let length = try reader.bigEndian(1 << Int(type - 0xD9))
            return .string(try reader.string(reader.take(Int(length))))
        case 0xDC, 0xDD: return try readArray(Int(try reader.bigEndian(type == 0xDC ? 2 : 4)), &reader, &budget, depth: depth)
        case 0xDE, 0xDF: return try readMap(Int(try reader.bigEndian(type == 0xDE ? 2 : 4)), &reader, &budget, depth: depth)
        case 0xE0...0xFF: return .integer(Int64(Int8(bitPattern: type)))
        default: throw reader.failure("byte 0x\(String(type, radix: 16)) at \(start) is not a msgpack type (never used)")
        }
    }

    private static func readArray(_ count: Int, _ reader: inout ByteReader, _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue {
        // Every element takes at least one byte: a count beyond what is left is a lie, refused before reserving.
        guard count <= reader.remaining else { throw reader.truncated(needing: count) }
        var items: [DecodedValue] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try readValue(&reader, &budget, depth: depth + 1)) }
        return .array(items)
    }

    private static func readMap(_ count: Int, _ reader: inout ByteReader, _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue {
        guard count <= reader.remaining / 2 else { throw reader.truncated(needing: count * 2) }
        var members: [DecodedValue.Member] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readValue(&reader, &budget, depth: depth + 1)
            let value = try readValue(&reader, &budget, depth: depth + 1)
            members.append(DecodedValue.Member(key.keyText, value))
        }
        return .object(members)
    }

    private static func readExtension(length: Int, _ reader: inout ByteReader) throws(DecodeFailure) -> DecodedValue {
        let type = Int8(bitPattern: try reader.byte())
        let data = Array(reader.bytes[try reader.take(length)])
        return .object([DecodedValue.Member("ext", .integer(Int64(type))), DecodedValue.Member("data", .bytes(data))])
    }
}

extension DecodedValue {
    /// The text of a map key: a string as it is, anything else as its JSON, cut at 256 bytes. The cut matters:
    /// a key that is a map whose key is a map... would otherwise grow with every level's escaping (fuzzing found
    /// 67 bytes that took 40 s).
    var keyText: String {
        if case .string(let text) = self { return text }
        return jsonText(limit: 256)
    }
}
