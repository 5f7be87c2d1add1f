/// Protocol Buffers without a schema, read as `protoc --decode_raw` reads them: an object keyed by field
/// number; a field seen more than once becomes an array. Varints and fixed32/fixed64 show as unsigned
/// numbers (the schema alone would say signed, zigzag or float). A length-delimited field is a nested
/// message when its bytes parse as one, else a string when they are UTF-8, else bytes. Groups are objects.
enum ProtobufWireDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeFailure) -> DecodedValue {
        var reader = ByteReader(bytes, decoder: "protobuf")
        var budget = WorkBudget(limits, decoder: "protobuf")
        return try readMessage(&reader, &budget, depth: 0, endGroup: nil)
    }

    private static func readMessage(_ reader: inout ByteReader, _ budget: inout WorkBudget, depth: Int, endGroup: UInt64?) throws(DecodeFailure) -> DecodedValue {
        try budget.value(depth: depth)
        var fields: [(number: UInt64, values: [DecodedValue])] = []
        func add(_ number: UInt64, _ value: DecodedValue) {
            if let index = fields.firstIndex(where: { $0.number == number }) {
                fields[index].values.append(value)
            } else {
                fields.append((number, [value]))
            }
        }
        while !reader.isAtEnd {
            let start = reader.position
            let key = try reader.varint()
            let number = key >> 3
            guard number >= 1, number <= 0x1FFF_FFFF else { throw reader.failure("field number \(number) at byte \(start) is out of range") }
            switch key & 7 {
            case 0: add(number, .unsigned(try reader.varint()))
            case 1: add(number, .unsigned(try reader.littleEndian(8)))
            case 5: add(number, .unsigned(try reader.littleEndian(4)))
            case 2:
                let length = try reader.varint()
                guard length <= UInt64(reader.remaining) else { throw reader.truncated(needing: length > UInt64(Int.max) ? Int.max : Int(length)) }
                let range = try reader.take(Int(length))
                add(number, try lengthDelimited(range, reader.bytes, &budget, depth: depth + 1))
            case 3:
                add(number, try readMessage(&reader, &budget, depth: depth + 1, endGroup: number))
            case 4:
                guard endGroup == number else { throw reader.failure("end of group \(number) at byte \(start) without its start") }
                return object(fields)
            default:
                throw reader.failure("wire type \(key & 7) at byte \(start) does not exist")
            }
        }
        if let endGroup { throw reader.failure("group \(endGroup) is not closed") }
        return object(fields)
    }

    private static func object(_ fields: [(number: UInt64, values: [DecodedValue])]) -> DecodedValue {
        .object(fields.map { DecodedValue.Member(String($0.number), $0.values.count == 1 ? $0.values[0] : .array($0.values)) })
    }

    private static func lengthDelimited(_ range: Range<Int>, _ bytes: [UInt8], _ budget: inout WorkBudget, depth: Int) throws(DecodeFailure) -> DecodedValue {
        if !range.isEmpty {
            // A guess, as protoc's: a failed attempt costs nothing from the budget and falls back to text or bytes.
            var attempt = budget
            var nested = ByteReader(bytes, decoder: "protobuf", range: range)
            if let message = try? readMessage(&nested, &attempt, depth: depth, endGroup: nil) {
                budget = attempt
                return message
            }
        }
        try budget.value(depth: depth)
        if let text = String(validating: bytes[range], as: UTF8.self) { return .string(text) }
        return .bytes(Array(bytes[range]))
    }
}
