import NIOCore

extension PayloadViewMode {
    /// What `.automatic` becomes for these bytes: JSON if it parses, text if it is UTF-8 without
    /// many control characters, else hex. Other modes stay as they are.
    public func resolved(for bytes: [UInt8], isCut: Bool = false) -> PayloadViewMode {
        guard self == .automatic else { return self }
        if !bytes.isEmpty, JSONPretty.format(bytes, maxLines: 0, acceptCutEnd: isCut) != nil { return .json }
        return PayloadFormatter.looksLikeText(bytes, isCut: isCut) ? .text : .hex
    }

    /// The next mode for a "switch view" key.
    public var next: PayloadViewMode {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Turns payload bytes into the lines the detail view shows, never more than asked for.
enum PayloadFormatter {
    /// The detail view looks at no more than this many bytes of a payload per frame, so that a
    /// raised storage cap (e.g. 16 MB) cannot make every redraw format megabytes.
    static let displayLimit = 256 * 1024

    /// The bytes to show: the stored payload, cut at `displayLimit`.
    static func displayBytes(_ payload: ByteBuffer) -> [UInt8] {
        Array(payload.readableBytesView.prefix(displayLimit))
    }

    /// The first `maxLines` lines of `bytes` shown as `mode` (already resolved), wrapped to `width`.
    static func lines(_ bytes: [UInt8], mode: PayloadViewMode, width: Int, maxLines: Int, isCut: Bool) -> [PayloadLine] {
        if bytes.isEmpty { return [[PayloadSpan(text: "(empty payload)", role: .dim)]] }
        switch mode {
        case .hex:
            let perRow = HexDump.bytesPerRow(width: width)
            let rows = min(maxLines, HexDump.rowCount(byteCount: bytes.count, perRow: perRow))
            return (0..<rows).map { HexDump.row(bytes, row: $0, perRow: perRow) }
        case .json:
            if let json = JSONPretty.format(bytes, maxLines: maxLines, acceptCutEnd: isCut) {
                return wrapped(json, width: width, maxLines: maxLines)
            }
            let note: PayloadLine = [PayloadSpan(text: "not valid JSON; shown as text", role: .error)]
            return [note] + textLines(bytes, width: width, maxLines: max(0, maxLines - 1))
        case .text, .automatic:
            return textLines(bytes, width: width, maxLines: maxLines)
        }
    }

    static func textLines(_ bytes: [UInt8], width: Int, maxLines: Int) -> [PayloadLine] {
        // A row of `width` columns never holds more than 4 bytes a column (a UTF-8 scalar is at
        // most 4 bytes and shows at least one column), so more bytes than this cannot be on screen.
        let needed = maxLines.multipliedReportingOverflow(by: 4 * max(1, width) + 4)
        let shown = needed.overflow ? bytes[...] : bytes.prefix(needed.partialValue)
        let lines = SafeText.lines(shown, maxLines: max(1, maxLines)).map { [PayloadSpan(text: $0, role: .text)] }
        return wrapped(lines, width: width, maxLines: maxLines)
    }

    static func wrapped(_ lines: [PayloadLine], width: Int, maxLines: Int) -> [PayloadLine] {
        var result: [PayloadLine] = []
        for line in lines {
            for row in PayloadLines.wrap(line, width: width) {
                if result.count >= maxLines { return result }
                result.append(row)
            }
        }
        return result
    }

    /// Valid UTF-8 (a sequence cut at the end is forgiven when the payload was cut) with at most
    /// one control character in ten; tab, CR and LF count as text.
    static func looksLikeText(_ bytes: [UInt8], isCut: Bool) -> Bool {
        var body = bytes[...]
        if isCut { body = body.dropLast(incompleteTail(bytes)) }
        guard String(validating: body, as: UTF8.self) != nil else { return false }
        var controls = 0
        for byte in body where (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
            controls += 1
        }
        return controls * 10 <= body.count
    }

    /// Bytes at the end that begin a UTF-8 sequence the cut left unfinished.
    static func incompleteTail(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }  // continuation byte: keep looking for the lead
            let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return needed > back ? back : 0
        }
        return 0
    }
}
