import MQTTCore
import NIOCore
import PayloadDecoders

/// How the detail pane shows a payload; `.automatic` picks JSON, text or hex from the bytes.
public enum PayloadViewMode: String, CaseIterable, Sendable {
    case automatic, text, json, hex
}

/// The selected topic: its payload (text, pretty JSON or hex), flags and v5 properties, recent
/// messages and a plot of numeric values.
///
/// Layout, top to bottom: header (topic, flags, size, time, v5 properties), payload (takes what is
/// left), plot (legend + 4 rows), recent messages. On a short area the recent list goes first,
/// then the plot, so the payload always keeps at least four rows.
public struct DetailView: Widget {
    public var message: ReceivedMessage?
    /// Oldest first.
    public var history: [ReceivedMessage]
    public var mode: PayloadViewMode
    /// A JSON field path (e.g. `temp` or `sensor.temp`) to plot; nil plots the payload itself when numeric.
    public var plotField: String?
    /// Lines scrolled down in the payload.
    public var scroll: Int
    /// Seconds since 1970, for "received N s ago".
    public var now: Double
    /// Seconds east of UTC for the times shown (the app passes the local offset; tests keep UTC).
    public var utcOffset: Int = 0
    /// Rows of the plot itself, below its legend.
    public var plotRows = 4
    /// Entries of the recent-messages list at most.
    public var recentCount = 5
    /// Set when the topic shows through a decoder: the payload, the plot and the recent list read the decoded value.
    public var decode: ((ReceivedMessage) -> DecodedPayload?)?
    /// `=`: set, the payload area shows this diff (nil inside: no previous message to compare).
    public var diff: MessageDiff??
    /// The decoded maps and lists shown folded (their paths, see `DecodedOutline`).
    public var folds: Set<String> = []
    /// The detail pane has the keys: a decoded outline highlights the row at `scroll`, which Enter folds.
    public var showsCursor = false
    /// `O`: other series plotted with this topic's on one time axis, with a legend.
    public var overlays: [PlotSeries] = []

    public init(message: ReceivedMessage?, history: [ReceivedMessage], mode: PayloadViewMode, plotField: String?, scroll: Int, now: Double) {
        self.message = message
        self.history = history
        self.mode = mode
        self.plotField = plotField
        self.scroll = scroll
        self.now = now
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard !area.isEmpty else { return }
        guard let message else {
            buffer.write("No topic selected", x: area.x, y: area.y, style: theme.style(.dim), maxWidth: area.width)
            return
        }
        var y = area.y
        for line in header(message) where y < area.maxY {
            PayloadLines.draw(line, x: area.x, y: y, width: area.width, buffer: &buffer, theme: theme)
            y += 1
        }
        var rest = area.maxY - y
        let points = plotPoints()
        let plotHeight = points.count >= 2 || !overlays.isEmpty ? 1 + plotRows : 1
        let wantsPlot = plotField != nil || points.count >= 2 || !overlays.isEmpty
        var recentHeight = history.isEmpty ? 0 : 1 + min(recentCount, history.count)
        let showPlot = wantsPlot && rest - plotHeight >= 4
        if showPlot { rest -= plotHeight }
        if rest - recentHeight < 4 { recentHeight = max(0, min(recentHeight, rest - 4)) }
        if recentHeight < 2 { recentHeight = 0 }
        rest -= recentHeight

        drawPayload(message, in: Rect(x: area.x, y: y, width: area.width, height: rest), buffer: &buffer, theme: theme)
        y += rest
        if showPlot {
            let plotArea = Rect(x: area.x, y: y, width: area.width, height: plotHeight)
            if overlays.isEmpty {
                BraillePlot(points: points, title: "plot " + (plotField ?? "value")).render(in: plotArea, buffer: &buffer, theme: theme)
            } else {
                let own = PlotSeries(name: plotField.map { message.topic + " " + $0 } ?? message.topic, points: points)
                OverlaidPlot(series: [own] + overlays).render(in: plotArea, buffer: &buffer, theme: theme)
            }
            y += plotHeight
        }
        if recentHeight > 0 {
            drawRecent(in: Rect(x: area.x, y: y, width: area.width, height: recentHeight), buffer: &buffer, theme: theme)
        }
    }

    // MARK: header

    func header(_ message: ReceivedMessage) -> [PayloadLine] {
        var lines: [PayloadLine] = [[PayloadSpan(text: SafeText.line(message.topic), role: .title)]]
        var flags: PayloadLine = [PayloadSpan(text: "QoS \(message.qos.rawValue)", role: .text)]
        if message.retain { flags += [PayloadSpan(text: "  ", role: .text), PayloadSpan(text: "retained", role: .retained)] }
        if message.dup { flags.append(PayloadSpan(text: "  dup", role: .text)) }
        flags.append(PayloadSpan(text: "  " + Self.sizeText(message.size), role: .text))
        flags.append(PayloadSpan(text: "  " + DetailTime.clock(message.receivedAt, utcOffset: utcOffset), role: .text))
        flags.append(PayloadSpan(text: " (" + DetailTime.ago(message.receivedAt, now: now) + ")", role: .dim))
        lines.append(flags)

        let properties = message.properties
        var described: [(String, String)] = []
        if let type = properties.contentType { described.append(("content type", SafeText.line(type))) }
        if let format = properties.payloadFormatIndicator { described.append(("format", format == 1 ? "UTF-8" : "bytes")) }
        if let expiry = properties.messageExpiryInterval { described.append(("expiry", "\(expiry) s")) }
        if let topic = properties.responseTopic { described.append(("response topic", SafeText.line(topic))) }
        if let data = properties.correlationData {
            described.append(("correlation", SafeText.line(data.readableBytesView.prefix(256), maxCharacters: 64)))
        }
        if !described.isEmpty {
            var line: PayloadLine = []
            for (index, (label, value)) in described.enumerated() {
                line.append(PayloadSpan(text: (index == 0 ? "" : "  ") + label + ": ", role: .dim))
                line.append(PayloadSpan(text: value, role: .text))
            }
            lines.append(line)
        }
        let user = properties.userProperties
        if !user.isEmpty {
            var line: PayloadLine = [PayloadSpan(text: "user properties: ", role: .dim)]
            for (index, pair) in user.enumerated() {
                line.append(PayloadSpan(text: (index == 0 ? "" : ", ") + SafeText.line(pair.key) + "=" + SafeText.line(pair.value), role: .text))
            }
            lines.append(line)
        }
        return lines
    }

    // MARK: payload

    func drawPayload(_ message: ReceivedMessage, in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.height > 0 else { return }
        if let diff {
            drawDiff(diff, in: area, buffer: &buffer, theme: theme)
            return
        }
        if let decoded = decode?(message) {
            drawDecoded(decoded, message: message, in: area, buffer: &buffer, theme: theme)
            return
        }
        let bytes = PayloadFormatter.displayBytes(message.payload)
        let isCut = message.isTruncated || bytes.count < message.payload.readableBytes
        let shown = mode.resolved(for: bytes, isCut: isCut)
        let modeText = mode == .automatic ? "auto: \(shown.rawValue)" : shown.rawValue
        let title = "─ Payload (\(modeText)) "
        buffer.write(title + String(repeating: "─", count: max(0, area.width - title.count)), x: area.x, y: area.y,
                     style: theme.style(.border), maxWidth: area.width)
        var y = area.y + 1
        if isCut, y < area.maxY {
            buffer.write("truncated, \(message.size) bytes (showing \(bytes.count))", x: area.x, y: y,
                         style: theme.style(.error), maxWidth: area.width)
            y += 1
        }
        let visible = area.maxY - y
        guard visible > 0 else { return }
        let wanted = max(0, scroll) + visible
        let lines = PayloadFormatter.lines(bytes, mode: shown, width: area.width, maxLines: wanted, isCut: isCut)
        // Scrolling past the end shows the last screenful rather than nothing.
        let top = min(max(0, scroll), max(0, lines.count - visible))
        for line in lines[top...].prefix(visible) {
            PayloadLines.draw(line, x: area.x, y: y, width: area.width, buffer: &buffer, theme: theme)
            y += 1
        }
    }

    func drawDiff(_ diff: MessageDiff?, in area: Rect, buffer: inout Buffer, theme: Theme) {
        let title = DiffLines.title(diff)
        buffer.write(title + String(repeating: "─", count: max(0, area.width - DisplayWidth.of(title))), x: area.x, y: area.y,
                     style: theme.style(.border), maxWidth: area.width)
        let visible = area.height - 1
        guard let diff, visible > 0 else { return }
        let lines = DiffLines.styled(diff).flatMap { PayloadLines.wrap($0, width: area.width) }
        let top = min(max(0, scroll), max(0, lines.count - visible))
        for (row, line) in lines[top...].prefix(visible).enumerated() {
            PayloadLines.draw(line, x: area.x, y: area.y + 1 + row, width: area.width, buffer: &buffer, theme: theme)
        }
    }

    /// Payload rows `message` takes at `width` columns in `mode` (at most `limit`), so that the
    /// state can keep `scroll` within the payload instead of growing past its end.
    public static func payloadLineCount(_ message: ReceivedMessage, mode: PayloadViewMode, width: Int, limit: Int = 100_000) -> Int {
        let bytes = PayloadFormatter.displayBytes(message.payload)
        let isCut = message.isTruncated || bytes.count < message.payload.readableBytes
        let shown = mode.resolved(for: bytes, isCut: isCut)
        if shown == .hex {
            return min(limit, HexDump.rowCount(byteCount: bytes.count, perRow: HexDump.bytesPerRow(width: width)))
        }
        return PayloadFormatter.lines(bytes, mode: shown, width: width, maxLines: limit, isCut: isCut).count
    }

    // MARK: plot and recent list

    /// Numeric values of the history (or of the message alone when there is none).
    func plotPoints() -> [PlotPoint] {
        Self.plotPoints(history.isEmpty ? (message.map { [$0] } ?? []) : history, field: plotField, decode: decode)
    }

    /// The numeric values of `messages` at `field` (through `decode` when it gives a decoded value).
    static func plotPoints(_ messages: [ReceivedMessage], field: String?, decode: ((ReceivedMessage) -> DecodedPayload?)?) -> [PlotPoint] {
        messages.compactMap { entry in
            let value: Double?
            if let decoded = decode?(entry) {
                value = DecodedPlot.number(decoded, field: field)
            } else {
                value = NumericValue.extract(from: entry.payload.readableBytesView, field: field)
            }
            return value.map { PlotPoint(time: entry.receivedAt, value: $0) }
        }
    }

    func drawRecent(in area: Rect, buffer: inout Buffer, theme: Theme) {
        let title = "─ Recent (\(history.count)) "
        buffer.write(title + String(repeating: "─", count: max(0, area.width - title.count)), x: area.x, y: area.y,
                     style: theme.style(.border), maxWidth: area.width)
        for (row, entry) in history.reversed().prefix(area.height - 1).enumerated() {
            let time = DetailTime.clock(entry.receivedAt, utcOffset: utcOffset) + "  "
            let used = buffer.write(time, x: area.x, y: area.y + 1 + row, style: theme.style(.dim), maxWidth: area.width)
            let preview = decode?(entry).map { SafeText.line($0.previewText, maxCharacters: max(1, area.width - used)) }
                ?? SafeText.line(entry.payload.readableBytesView.prefix(512), maxCharacters: max(1, area.width - used))
            buffer.write(preview, x: area.x + used, y: area.y + 1 + row, style: theme.style(.text), maxWidth: area.width - used)
        }
    }

    /// `512 B`, `1.5 KiB`, `16 MiB`, with the exact count when rounded.
    static func sizeText(_ size: Int) -> String {
        if size < 1024 { return "\(size) B" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(size) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(BraillePlot.format((value * 10).rounded() / 10)) \(units[unit]) (\(size) B)"
    }
}

/// Clock texts for the detail view, computed without Foundation so tests are the same everywhere.
enum DetailTime {
    /// `HH:MM:SS` of `time` shifted by `utcOffset` seconds.
    static func clock(_ time: Double, utcOffset: Int) -> String {
        guard abs(time) < 1e15 else { return "--:--:--" }
        let seconds = Int(time.rounded(.down)) + utcOffset
        let day = ((seconds % 86_400) + 86_400) % 86_400
        return [day / 3600, day / 60 % 60, day % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    /// `3 s ago`, `5 min ago`, `2 h ago`, `4 d ago`.
    static func ago(_ time: Double, now: Double) -> String {
        guard abs(now - time) < 1e15 else { return "?" }
        let seconds = max(0, Int((now - time).rounded(.down)))
        if seconds < 120 { return "\(seconds) s ago" }
        if seconds < 7200 { return "\(seconds / 60) min ago" }
        if seconds < 172_800 { return "\(seconds / 3600) h ago" }
        return "\(seconds / 86_400) d ago"
    }
}
