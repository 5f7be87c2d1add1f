/// `hexdump -C`-style rows: offset, hex bytes, and the printable ASCII. Rows are made one at a
/// time from an offset, so showing the end of a large payload costs only the rows on screen.
enum HexDump {
    /// 16 bytes per row when the full row fits, else 8 or 4.
    static func bytesPerRow(width: Int) -> Int {
        if width >= rowWidth(16) { return 16 }
        if width >= rowWidth(8) { return 8 }
        return 4
    }

    static func rowWidth(_ perRow: Int) -> Int { 10 + 3 * perRow + (perRow > 8 ? 1 : 0) + 1 + perRow + 2 }

    static func rowCount(byteCount: Int, perRow: Int) -> Int { (byteCount + perRow - 1) / perRow }

    /// The row starting at `row * perRow`.
    static func row(_ bytes: [UInt8], row: Int, perRow: Int) -> PayloadLine {
        let start = row * perRow
        let end = min(bytes.count, start + perRow)
        var hex = ""
        var ascii = ""
        for index in start..<(start + perRow) {
            if perRow > 8, index - start == 8 { hex += " " }
            if index < end {
                let byte = bytes[index]
                hex += SafeText.hex(byte) + " "
                // Only printable ASCII goes through as itself; everything else is a dot.
                ascii.append(byte >= 0x20 && byte < 0x7F ? Character(Unicode.Scalar(byte)) : ".")
            } else {
                hex += "   "
            }
        }
        let offset = String(start, radix: 16)
        return [
            PayloadSpan(text: String(repeating: "0", count: max(0, 8 - offset.count)) + offset + "  ", role: .dim),
            PayloadSpan(text: hex, role: .hex),
            PayloadSpan(text: " |" + ascii + "|", role: .text),
        ]
    }
}
