/// The array datatypes of Sparkplug 3.0 (section 6.4.17): packed little-endian in a metric's `bytes_value`.
enum SparkplugArrays {
    static func decode(_ bytes: [UInt8], datatype: UInt32) -> DecodedValue? {
        var reader = ByteReader(bytes, decoder: "sparkplugb")
        func each(_ size: Int, _ make: (UInt64) -> DecodedValue) -> DecodedValue? {
            guard bytes.count % size == 0 else { return nil }
            var items: [DecodedValue] = []
            while !reader.isAtEnd, let raw = try? reader.littleEndian(size) { items.append(make(raw)) }
            return .array(items)
        }
        switch datatype {
        case 22: return each(1) { .integer(Int64(Int8(truncatingIfNeeded: $0))) }
        case 23: return each(2) { .integer(Int64(Int16(truncatingIfNeeded: $0))) }
        case 24: return each(4) { .integer(Int64(Int32(truncatingIfNeeded: $0))) }
        case 25: return each(8) { .integer(Int64(bitPattern: $0)) }
        case 26: return each(1) { .unsigned($0) }
        case 27: return each(2) { .unsigned($0) }
        case 28: return each(4) { .unsigned($0) }
        case 29: return each(8) { .unsigned($0) }
        case 30: return each(4) { .double(Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0)))) }
        case 31: return each(8) { .double(Double(bitPattern: $0)) }
        case 34: return each(8) { .integer(Int64(bitPattern: $0)) }
        case 32:
            // A 4-byte count of booleans, then the booleans packed, the first one in the high bit.
            guard let count = try? reader.littleEndian(4), UInt64(bytes.count - 4) * 8 >= count else { return nil }
            return .array((0..<Int(count)).map { index in .bool(bytes[4 + index / 8] & (0x80 >> UInt8(index % 8)) != 0) })
        case 33:
            // Strings, each ended by a zero byte.
            guard bytes.last == 0 else { return nil }
            return .array(bytes.dropLast().split(separator: 0, omittingEmptySubsequences: false).map {
                .string(String(decoding: $0, as: UTF8.self))
            })
        default: return nil
        }
    }
}
