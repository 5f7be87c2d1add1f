import PayloadDecoders

/// The detail view's payload through a decoder: the decoded value pretty-printed as JSON (a string as text,
/// bytes as a hex dump); a failure as the decoder's error in one line with the hex dump of the raw bytes below.
extension DetailView {
    func drawDecoded(_ decoded: DecodedPayload, message: ReceivedMessage, in area: Rect, buffer: inout Buffer, theme: Theme) {
        let title = "─ Payload (" + SafeText.line(decoded.chain.description, maxCharacters: 60) + ") "
        buffer.write(title + String(repeating: "─", count: max(0, area.width - DisplayWidth.of(title))), x: area.x, y: area.y,
                     style: theme.style(.border), maxWidth: area.width)
        let visible = area.height - 1
        guard visible > 0 else { return }
        if case .success(let value) = decoded.result, DecodedOutline.isOutline(value) {
            return drawOutline(value, in: Rect(x: area.x, y: area.y + 1, width: area.width, height: visible), buffer: &buffer, theme: theme)
        }
        let lines = DecodedPayloadLines.lines(decoded, raw: PayloadFormatter.displayBytes(message.payload), width: area.width,
                                              maxLines: max(0, scroll) + visible)
        let top = min(max(0, scroll), max(0, lines.count - visible))
        var y = area.y + 1
        for line in lines[top...].prefix(visible) {
            PayloadLines.draw(line, x: area.x, y: y, width: area.width, buffer: &buffer, theme: theme)
            y += 1
        }
    }

    /// A decoded map or list: `scroll` is the row of the cursor (kept on screen, highlighted while the pane
    /// has the keys); a folded map or list is one row.
    private func drawOutline(_ value: DecodedValue, in area: Rect, buffer: inout Buffer, theme: Theme) {
        let outline = DecodedOutline(value, folds: folds, maxRows: max(0, scroll) + area.height)
        let cursor = min(max(0, scroll), outline.rows.count - 1)
        var lines: [PayloadLine] = []
        var cursorLines = 0..<0
        for (index, row) in outline.rows.enumerated() {
            let wrapped = PayloadLines.wrap(row.line, width: area.width)
            if index == cursor { cursorLines = lines.count..<(lines.count + wrapped.count) }
            lines += index == cursor && showsCursor ? wrapped.map { $0.map { PayloadSpan(text: $0.text, role: .selection) } } : wrapped
        }
        let top = max(0, cursorLines.upperBound - area.height)
        for (offset, line) in lines[top...].prefix(area.height).enumerated() {
            if showsCursor && cursorLines.contains(top + offset) {
                buffer.fill(Rect(x: area.x, y: area.y + offset, width: area.width, height: 1), style: theme.style(.selection))
            }
            PayloadLines.draw(line, x: area.x, y: area.y + offset, width: area.width, buffer: &buffer, theme: theme)
        }
    }
}

enum DecodedPayloadLines {
    static func lines(_ decoded: DecodedPayload, raw: [UInt8], width: Int, maxLines: Int) -> [PayloadLine] {
        switch decoded.result {
        case .failure(let error):
            let note: PayloadLine = [PayloadSpan(text: SafeText.line(error.description, maxCharacters: 300), role: .error)]
            // The error wraps on a narrow pane rather than lose its end (where the offset is).
            let error = PayloadFormatter.wrapped([note], width: width, maxLines: maxLines)
            return error + PayloadFormatter.lines(raw, mode: .hex, width: width, maxLines: max(0, maxLines - error.count), isCut: false)
        case .success(.string(let text)):
            return PayloadFormatter.lines(Array(text.utf8), mode: .text, width: width, maxLines: maxLines, isCut: false)
        case .success(.bytes(let bytes)):
            return PayloadFormatter.lines(bytes, mode: .hex, width: width, maxLines: maxLines, isCut: false)
        case .success(let value):
            return PayloadFormatter.lines(value.jsonBytes, mode: .json, width: width, maxLines: maxLines, isCut: false)
        }
    }
}

/// Numbers for the plot from a decoded value: the field path as for JSON (`temp`, `3`, `metrics[0].value`);
/// for a Sparkplug payload a bare metric name also works (it is looked up in `values`, dots and all).
enum DecodedPlot {
    static func number(_ decoded: DecodedPayload, field: String?) -> Double? {
        guard case .success(let value) = decoded.result else { return nil }
        if let field, !field.isEmpty, case .object(let metrics)? = value["values"],
           let metric = metrics.first(where: { $0.key == field }) {
            return metric.value.number
        }
        if field == nil || field == "", let number = value.number { return number }
        return NumericValue.extract(from: value.jsonBytes, field: field)
    }
}
