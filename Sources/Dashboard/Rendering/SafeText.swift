/// Makes payload and topic bytes safe to put on a terminal: control characters and escape
/// sequences become visible escapes, invalid UTF-8 becomes `\xNN`. Nothing raw ever reaches curses.
public enum SafeText {
    /// One line of display text from `bytes`, cut at `maxCharacters` (with "…").
    public static func line(_ bytes: some Collection<UInt8>, maxCharacters: Int = 4096) -> String {
        var out = ""
        var count = 0
        forEachDisplayUnit(bytes) { unit in
            if count >= maxCharacters { return false }
            out += unit
            count += 1
            return true
        }
        if count >= maxCharacters { out += "…" }
        return out
    }

    /// Display text that keeps line breaks (for the detail view), each line made safe.
    public static func lines(_ bytes: some Collection<UInt8>, maxLines: Int = 10_000) -> [String] {
        var lines: [String] = [""]
        forEachDisplayUnit(bytes, keepNewlines: true) { unit in
            if unit == "\n" {
                if lines.count >= maxLines { return false }
                lines.append("")
            } else {
                lines[lines.count - 1] += unit
            }
            return true
        }
        return lines
    }

    /// Escapes a string that is already valid Unicode (topics) the same way.
    public static func line(_ text: String, maxCharacters: Int = 4096) -> String {
        line(Array(text.utf8), maxCharacters: maxCharacters)
    }

    /// Walks the bytes as UTF-8, handing out one printable unit at a time; `body` returns false to stop.
    private static func forEachDisplayUnit(_ bytes: some Collection<UInt8>, keepNewlines: Bool = false, _ body: (String) -> Bool) {
        var rest = Array(bytes)[...]
        while !rest.isEmpty {
            // A fresh decoder per scalar: it buffers look-ahead bytes, which belong to `rest`.
            var decoder = UTF8()
            var iterator = rest.makeIterator()
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                rest = rest.dropFirst(UTF8.width(scalar))
                if !body(escape(scalar, keepNewlines: keepNewlines)) { return }
            case .error, .emptyInput:
                // Not UTF-8: show the byte itself and resynchronise on the next one.
                let byte = rest.removeFirst()
                if !body("\\x" + hex(byte)) { return }
            }
        }
    }

    static func escape(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> String {
        switch scalar.value {
        case 0x0A: return keepNewlines ? "\n" : "\\n"
        case 0x09: return keepNewlines ? "    " : "\\t"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x00..<0x20, 0x7F: return "\\x" + hex(UInt8(scalar.value))
        case 0x80..<0xA0: return "\\u{" + String(scalar.value, radix: 16) + "}"
        // Bidi overrides and isolates could reorder what follows on the screen.
        case 0x202A...0x202E, 0x2066...0x2069: return "\\u{" + String(scalar.value, radix: 16) + "}"
        default: return String(scalar)
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }
}
