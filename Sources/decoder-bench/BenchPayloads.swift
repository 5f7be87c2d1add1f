/// ~200-byte payloads for each decoder, the same readings in every encoding: 10 sensors with a name and a
/// value. Encoded here by hand (msgpack, CBOR and protobuf each need only a few of their types).
enum BenchPayloads {
    static let readings: [(name: String, value: Double)] = (0..<10).map { ("sensor\($0)", 20 + Double($0) / 4) }

    static var json: [UInt8] {
        Array(("{" + readings.map { "\"\($0.name)\":\($0.value)" }.joined(separator: ",") + ",\"site\":\"plant-north\",\"seq\":123456}").utf8)
    }

    static var msgpack: [UInt8] {
        mapOfReadings(MapMarkers(map: 0x80, string: 0xA0, double: 0xCB, uint32: 0xCE))
    }

    static var cbor: [UInt8] {
        mapOfReadings(MapMarkers(map: 0xA0, string: 0x60, double: 0xFB, uint32: 0x1A))
    }

    /// The first byte of each short item in msgpack or CBOR, which lay out these readings alike: a map whose
    /// size (and a string's length) is in the low bits of its marker, a double and a uint32 after theirs.
    struct MapMarkers {
        var map: UInt8
        var string: UInt8
        var double: UInt8
        var uint32: UInt8
    }

    private static func mapOfReadings(_ markers: MapMarkers) -> [UInt8] {
        var out: [UInt8] = [markers.map | UInt8(readings.count + 2)]
        func string(_ text: String) { out += [markers.string | UInt8(text.utf8.count)] + Array(text.utf8) }
        for reading in readings {
            string(reading.name)
            out.append(markers.double)
            out += bigEndian(reading.value.bitPattern)
        }
        string("site"); string("plant-north")
        string("seq"); out += [markers.uint32] + bigEndian(UInt64(123_456)).suffix(4)
        return out
    }

    /// protobuf: repeated field 1 = {1: name, 2: double}, 2 = site, 3 = seq.
    static var protobuf: [UInt8] {
        var out: [UInt8] = []
        for reading in readings {
            var inner: [UInt8] = [0x0A, UInt8(reading.name.utf8.count)] + Array(reading.name.utf8)
            inner += [0x11] + littleEndian(reading.value.bitPattern)
            out += [0x0A, UInt8(inner.count)] + inner
        }
        out += [0x12, 11] + Array("plant-north".utf8)
        out += [0x18] + varint(123_456)
        return out
    }

    /// Sparkplug B NDATA-like: timestamp, seq, and 10 metrics with name, alias, datatype Double, value.
    static var sparkplug: [UInt8] {
        var out: [UInt8] = [0x08] + varint(1_700_000_000_000)
        for (index, reading) in readings.enumerated() {
            var metric: [UInt8] = [0x0A, UInt8(reading.name.utf8.count)] + Array(reading.name.utf8)
            metric += [0x10] + varint(UInt64(index)) + [0x20, 10]
            metric += [0x69] + littleEndian(reading.value.bitPattern)
            out += [0x12, UInt8(metric.count)] + metric
        }
        out += [0x18, 5]
        return out
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return out + [UInt8(value)]
    }
}
