/// Binary payloads compared byte by byte at the same offsets: each run of differing bytes is one
/// range (`bytes 4-7: 01 02 03 04 → 05 06 07 08`); a longer or shorter payload adds or removes its tail.
enum ByteRangeDiff {
    /// Bytes shown per side of a range; longer runs are cut with "…".
    static let shownBytes = 16

    static func lines(_ previous: [UInt8], _ current: [UInt8]) -> [MessageDiff.Line] {
        var lines: [MessageDiff.Line] = []
        let common = min(previous.count, current.count)
        var offset = 0
        while offset < common {
            guard previous[offset] != current[offset] else {
                offset += 1
                continue
            }
            let start = offset
            while offset < common, previous[offset] != current[offset] { offset += 1 }
            lines.append(.init(change: .changed(old: hex(previous[start..<offset])),
                               text: range(start, offset) + hex(current[start..<offset])))
        }
        if current.count > common {
            lines.append(.init(change: .added, text: range(common, current.count) + hex(current[common...])))
        } else if previous.count > common {
            lines.append(.init(change: .removed, text: range(common, previous.count) + hex(previous[common...])))
        }
        if lines.isEmpty { lines.append(.init(change: .same, text: "\(current.count) bytes, all the same")) }
        return lines
    }

    private static func range(_ start: Int, _ end: Int) -> String {
        end - start == 1 ? "byte \(start): " : "bytes \(start)-\(end - 1): "
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        let shown = bytes.prefix(shownBytes).map { String([digits[Int($0 >> 4)], digits[Int($0 & 0xf)]]) }
        return shown.joined(separator: " ") + (bytes.count > shownBytes ? " …" : "")
    }
}
