import MQTTCore

/// A key as the backend reports it, independent of curses.
public enum Key: Hashable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
    case up, down, left, right
    case enter, escape, backspace, delete, tab, backTab
    case home, end, pageUp, pageDown
    case function(Int)
}

public enum MouseEvent: Hashable, Sendable {
    case click(x: Int, y: Int)
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
}

/// Where the connection stands, as the status bar shows it.
public enum ConnectionStatus: Hashable, Sendable {
    case connecting
    case connected
    /// Next attempt at `at` (seconds since 1970).
    case reconnecting(at: Double, attempt: Int)
    case refused(String)
    case disconnected(String)
    /// `mqdash open`: no broker, the messages come from a file.
    case file
}

/// The result of a publish from the form, as the client reported it.
public struct PublishOutcome: Hashable, Sendable {
    public var topic: String
    /// "PUBACK", "PUBCOMP" or "sent" for QoS 0.
    public var acknowledgement: String
    public var reasonCode: ReasonCode?
    public var error: String?

    public init(topic: String, acknowledgement: String, reasonCode: ReasonCode? = nil, error: String? = nil) {
        self.topic = topic
        self.acknowledgement = acknowledgement
        self.reasonCode = reasonCode
        self.error = error
    }
}

/// Everything that changes the dashboard's state. Outside events (MQTT, timers) are queued and
/// applied in batches by the UI loop.
public enum DashboardEvent: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// Text pasted in one go (bracketed paste), inserted as is into the focused field.
    case paste(String)
    case resize(width: Int, height: Int)
    case message(ReceivedMessage)
    case connection(ConnectionStatus)
    case published(PublishOutcome)
    /// Time passes: rates, flashes and "time since" texts depend on it. Seconds since 1970.
    case tick(now: Double)
    /// The UI fell behind and this many messages were counted but not queued for display.
    case messagesSkipped(Int)
    /// The broker refused a subscribe or unsubscribe (SUBACK/UNSUBACK reason code) or it failed.
    case subscriptionFailed(SubscriptionFailure)
    /// The embedded broker's clients and figures (`mqdash --broker`, while its pane is open).
    case brokerReport(BrokerReport)
    /// `R`: the app's recorder started, progressed or stopped.
    case recording(RecordingReport)
    /// `e`: the export was written (or failed).
    case exported(ExportOutcome)
    /// `mqdash open --play`: the player moved, paused or changed speed.
    case playback(PlaybackStatus)
    /// The broker refused MQTT 5 and the connection went on with 3.1.1 (or the other way).
    case protocolVersion(isV5: Bool)
    /// `c`: the app switched to another profile's broker, or could not.
    case connectionSwitch(ConnectionSwitchOutcome)
    /// The boards file could not be written; the status line says why.
    case boardsNotSaved(String)
}

/// A subscribe or unsubscribe that did not take effect, as the status line reports it.
public struct SubscriptionFailure: Hashable, Sendable {
    public var filter: String
    public var isUnsubscribe: Bool
    /// What the broker answered, e.g. "Not authorized (0x87)", or the client's error.
    public var reason: String

    public init(filter: String, isUnsubscribe: Bool = false, reason: String) {
        self.filter = filter
        self.isUnsubscribe = isUnsubscribe
        self.reason = reason
    }
}

/// IO that `update` asks for; the app runs it outside `update` and feeds results back as events.
public enum DashboardCommand: Hashable, Sendable {
    case publish(topic: String, payload: [UInt8], qos: QoS, retain: Bool, properties: Properties)
    case subscribe(filter: String, qos: QoS)
    case unsubscribe(filter: String)
    /// Publish empty retained messages to these topics.
    case clearRetained(topics: [String])
    /// The broker pane opened or closed: the embedded broker reports about once a second while it is open.
    case watchBroker(Bool)
    /// The embedded broker closes this client's connection.
    case disconnectClient(clientID: String)
    /// The embedded broker stops a bridge's link and starts it again.
    case restartBridge(name: String)
    /// `R`: record what arrives (only `filter`'s matches when set) to `path`; `.gz` compresses.
    case startRecording(path: String, filter: String?)
    case stopRecording
    /// `e`: write these rows to a file.
    case export(ExportRequest)
    /// `mqdash open --play`: pause, speed, jump.
    case playback(PlaybackControl)
    /// `y` `Y`: put these bytes on the clipboard; the terminal backend sends them as OSC 52.
    case copyToClipboard([UInt8])
    /// `c`: disconnect and watch the broker of this profile instead.
    case switchConnection(profile: String)
    /// A board rule fired: ring the terminal bell once, run the board's `on_alert` command (no shell), save the boards file.
    case ringBell
    case runAlertCommand([String])
    case saveBoards(path: String, text: String)
    case quit
}
