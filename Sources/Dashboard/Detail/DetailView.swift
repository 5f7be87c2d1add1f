// STUB owned by the detail-view work: replace the body, keep the public entry points.

/// How the detail pane shows a payload; `.automatic` picks JSON, text or hex from the bytes.
public enum PayloadViewMode: String, CaseIterable, Sendable {
    case automatic, text, json, hex
}

/// The selected topic: its payload (text, pretty JSON or hex), flags and v5 properties, recent
/// messages and a plot of numeric values.
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

    public init(message: ReceivedMessage?, history: [ReceivedMessage], mode: PayloadViewMode, plotField: String?, scroll: Int, now: Double) {
        self.message = message
        self.history = history
        self.mode = mode
        self.plotField = plotField
        self.scroll = scroll
        self.now = now
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.write(message.map { SafeText.line($0.topic) } ?? "", x: area.x, y: area.y, style: theme.style(.text), maxWidth: area.width)
    }
}
