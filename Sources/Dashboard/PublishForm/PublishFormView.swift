/// Draws the publish form. Rows: title, topic, payload (all the rows left over), QoS, retain,
/// v5 content type and user properties (2 rows), error, result, key hints. The focused field is
/// marked with `▸` and its cursor cell drawn in the focus style (the buffer has no real cursor).
public struct PublishFormView: Widget {
    public var form: PublishFormState
    public var isV5: Bool

    /// Label column, marker included.
    static let labelWidth = 18
    static let userPropertyRows = 2

    public init(form: PublishFormState, isV5: Bool) {
        self.form = form
        self.isV5 = isV5
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        let title = "Publish" + (isV5 ? " (MQTT 5)" : " (MQTT 3.1.1)")
        buffer.write(title, x: area.x, y: area.y, style: theme.style(.title), maxWidth: area.width)
        let fixed = 1 + 1 + 1 + 1 + (isV5 ? 1 + 2 + Self.userPropertyRows + 1 : 0) + 1 + 1 + 1
        let payloadRows = max(1, area.height - fixed)
        var y = area.y + 1
        drawEditor(form.topicEditor, field: .topic, label: "Topic", rows: 1, y: &y, area: area, buffer: &buffer, theme: theme)
        drawEditor(form.payloadEditor, field: .payload, label: "Payload", rows: payloadRows, y: &y, area: area, buffer: &buffer, theme: theme)
        let qosText = (0...2).map { $0 == Int(form.qos.rawValue) ? "(•) \($0)" : "( ) \($0)" }.joined(separator: "  ")
        drawChoice(qosText, field: .qos, label: "QoS", y: &y, area: area, buffer: &buffer, theme: theme)
        drawChoice(form.retain ? "[x] retain" : "[ ] retain", field: .retain, label: "Retain", y: &y, area: area, buffer: &buffer, theme: theme)
        if isV5 {
            drawChoice(form.isRequest ? "[x] request: response topic and correlation data" : "[ ] request",
                       field: .request, label: "Request", y: &y, area: area, buffer: &buffer, theme: theme)
            if form.isRequest {
                drawEditor(form.responseTopicEditor, field: .responseTopic, label: "Response topic", rows: 1, y: &y, area: area, buffer: &buffer, theme: theme)
            } else {
                y += 1
            }
            drawEditor(form.contentTypeEditor, field: .contentType, label: "Content type", rows: 1, y: &y, area: area, buffer: &buffer, theme: theme)
            drawEditor(form.userPropertiesEditor, field: .userProperties, label: "User properties", rows: Self.userPropertyRows,
                       y: &y, area: area, buffer: &buffer, theme: theme)
        }
        if let error = form.error, y < area.maxY {
            buffer.write(SafeText.line(error), x: area.x, y: y, style: theme.style(.error), maxWidth: area.width)
        }
        y += 1
        if y < area.maxY, let (text, role) = resultText() {
            buffer.write(text, x: area.x, y: y, style: theme.style(role), maxWidth: area.width)
        }
        y += 1
        if isV5 {
            if y < area.maxY, let text = responseText() {
                let role: Role = form.response != nil ? .text : form.requestTimedOut ? .error : .dim
                buffer.write(text, x: area.x, y: y, style: theme.style(role), maxWidth: area.width)
            }
            y += 1
        }
        if y < area.maxY {
            let hints = "Tab next field · Ctrl-S send · Ctrl-P/N history · Esc close"
            buffer.write(hints, x: area.x, y: area.maxY - 1, style: theme.style(.dim), maxWidth: area.width)
        }
    }

    func resultText() -> (String, Role)? {
        if form.isAwaitingResult { return ("Result: sending…", .dim) }
        guard let result = form.lastResult else { return nil }
        if let error = result.error { return ("Result: failed: " + SafeText.line(error), .error) }
        var text = "Result: \(result.acknowledgement) for \(SafeText.line(result.topic))"
        if let code = result.reasonCode { text += " · \(code)" }
        return (text, result.reasonCode?.isFailure == true ? .error : .text)
    }

    /// The request's response, or that it is awaited.
    func responseText() -> String? {
        if let response = form.response {
            let millis = Int((response.seconds * 1000).rounded())
            return "Response (\(millis) ms) on \(SafeText.line(response.message.topic)): "
                + SafeText.line(response.message.payload.readableBytesView.prefix(512), maxCharacters: 200)
        }
        if let pending = form.pendingRequest {
            let topic = SafeText.line(pending.responseTopic)
            if form.requestTimedOut {
                let seconds = Int(PublishFormState.requestTimeout)
                return "No response within \(seconds) s (is a responder running?) on \(topic)"
            }
            return "Response: waiting on " + topic + "…"
        }
        return nil
    }

    private func drawLabel(_ label: String, field: PublishFormField, y: Int, area: Rect, buffer: inout Buffer, theme: Theme) {
        let focused = form.focus == field
        let text = (focused ? "▸ " : "  ") + label
        buffer.write(text, x: area.x, y: y, style: theme.style(focused ? .formFocus : .formLabel), maxWidth: min(area.width, Self.labelWidth - 1))
    }

    private func drawChoice(_ text: String, field: PublishFormField, label: String, y: inout Int, area: Rect, buffer: inout Buffer, theme: Theme) {
        defer { y += 1 }
        guard y < area.maxY else { return }
        drawLabel(label, field: field, y: y, area: area, buffer: &buffer, theme: theme)
        buffer.write(text, x: area.x + Self.labelWidth, y: y, style: theme.style(.formField), maxWidth: max(0, area.width - Self.labelWidth))
    }

    /// Draws `rows` rows of an editor, scrolled so that the cursor is on screen.
    private func drawEditor(_ editor: FormEditor, field: PublishFormField, label: String, rows: Int, y: inout Int,
                            area: Rect, buffer: inout Buffer, theme: Theme) {
        defer { y += rows }
        guard y < area.maxY else { return }
        drawLabel(label, field: field, y: y, area: area, buffer: &buffer, theme: theme)
        let x = area.x + Self.labelWidth
        let width = area.maxX - x
        guard width > 0 else { return }
        let focused = form.focus == field
        let top = max(0, editor.row - rows + 1)
        for offset in 0..<rows {
            let row = top + offset
            let lineY = y + offset
            guard lineY < area.maxY else { break }
            buffer.fill(Rect(x: x, y: lineY, width: width, height: 1), style: theme.style(.formField))
            guard row < editor.lines.count else { continue }
            // Each character made safe on its own, so cursor columns match what is drawn.
            let cells = editor.lines[row].map { SafeText.line(String($0)) }
            let cursor = focused && row == editor.row ? editor.column : nil
            let cursorColumn = DisplayWidth.of(cells.prefix(cursor ?? 0).joined())
            // Scroll sideways only as far as needed to keep the cursor (and the cell after it) visible.
            var skip = 0
            var skipped = 0
            while cursor != nil, cursorColumn - skipped >= width, skip < cells.count {
                skipped += DisplayWidth.of(cells[skip])
                skip += 1
            }
            var column = 0
            for (index, text) in cells.enumerated().dropFirst(skip) {
                let style = theme.style(index == cursor ? .formFocus : .formField)
                let used = buffer.write(text, x: x + column, y: lineY, style: style, maxWidth: width - column)
                if used == 0 { break }
                column += used
            }
            if let cursor, cursor == cells.count, column < width {
                buffer.write(" ", x: x + column, y: lineY, style: theme.style(.formFocus))
            }
        }
    }
}
