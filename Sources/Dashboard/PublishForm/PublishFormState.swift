// STUB owned by the publish-form work: replace the body, keep the public entry points.
import MQTTCore

/// What a key did to the form.
public enum PublishFormAction: Hashable, Sendable {
    case none
    /// Send this command (a publish) and keep the form open to show the result.
    case submit(DashboardCommand)
    /// Close the form.
    case close
}

/// The publish form: topic, multi-line payload editor, QoS, retain, v5 content type and user
/// properties, the last result, and a history of sent messages to send again.
public struct PublishFormState: Sendable, Equatable {
    public var topic: String = ""
    public var lastResult: PublishOutcome?

    public init(topic: String = "") { self.topic = topic }

    public mutating func handle(_ key: Key, isV5: Bool) -> PublishFormAction {
        if key == .escape { return .close }
        return .none
    }

    public mutating func paste(_ text: String) {}
}

public struct PublishFormView: Widget {
    public var form: PublishFormState
    public var isV5: Bool

    public init(form: PublishFormState, isV5: Bool) {
        self.form = form
        self.isV5 = isV5
    }

    public func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.write("Publish to " + SafeText.line(form.topic), x: area.x, y: area.y, style: theme.style(.title), maxWidth: area.width)
    }
}
