import MQTTCore
import PayloadDecoders

/// Everything the dashboard shows. Only `update` changes it; `render` only reads it.
public struct DashboardState: Sendable {
    public var settings: DashboardSettings
    public var screenWidth = 80
    public var screenHeight = 24
    public var connection = ConnectionStatus.connecting
    /// Why the connection last failed or was lost, kept while reconnecting (which follows at once and
    /// would otherwise hide it); cleared once connected.
    public internal(set) var lastConnectionProblem: String?
    /// Seconds since 1970, advanced by `.tick` and by messages.
    public var now: Double = 0
    /// Set when the user asked to quit.
    public var shouldQuit = false

    // MARK: model
    public internal(set) var tree: TopicTree
    public internal(set) var log: MessageLog
    public internal(set) var rate = MessageRate()
    /// Filters subscribed to; the app sets the initial ones (`-t`), the editor changes them.
    public var subscriptions: [Subscription]

    // MARK: view state
    public internal(set) var focus = PaneFocus.tree
    public internal(set) var sortOrder = TreeSortOrder.name
    /// The selected tree node; nil until the tree has rows (then the first row counts as selected).
    public internal(set) var selectedNode: Int?
    /// First tree row on screen.
    public internal(set) var treeScroll = 0
    /// What `v` chose per topic for this session; a topic not in it shows its default (`PayloadView.cycle`).
    public internal(set) var payloadViews: [String: PayloadView] = [:]
    /// The decoded maps and lists folded per topic (paths as `DecodedOutline` names them), for the session.
    public internal(set) var decodedFolds: [String: Set<String>] = [:]
    public internal(set) var plotField: String?
    /// `O`: topics (at a field) plotted with the selected one in the detail pane, in the order added.
    public internal(set) var plotOverlays: [TileKey] = []
    public internal(set) var detailScroll = 0
    /// The last confirmed search and its hits in tree order.
    public internal(set) var search: String?
    public internal(set) var searchHits: [Int] = []

    // MARK: overlays, innermost first in key routing
    public internal(set) var confirmation: Confirmation?
    public internal(set) var showHelp = false
    public internal(set) var prompt: Prompt?
    public internal(set) var subscriptionEditor: SubscriptionEditor?
    /// Kept while closed so that its history and last result survive.
    public internal(set) var publishForm = PublishFormState()
    public internal(set) var publishFormOpen = false
    /// `T`: the traffic ranking, over the panes.
    public internal(set) var traffic = TrafficViewState()
    /// `t`: how the tree and the log show times; nil until the first `t` (tree: age, log: clock).
    public internal(set) var timestamps: TimestampStyle?
    /// `=`: the detail pane shows what changed from the previous message instead of the payload.
    public internal(set) var showDiff = false
    /// `B`: the embedded broker's clients and figures, over the panes.
    public internal(set) var brokerPane = BrokerPaneState()
    /// A short message on the status bar (e.g. "not retained"), until the next key.
    public internal(set) var notice: String?
    /// Messages the UI could not keep up with: counted, never shown (see the UI loop's event queue).
    public internal(set) var skippedMessages = 0
    /// `R`: the recording that runs, with its counts.
    public internal(set) var recording: RecordingStatus?
    /// `e`: the export dialog, when open.
    public internal(set) var exportDialog: ExportDialog?
    /// `mqdash open --play`: the player's position, speed and pause.
    public internal(set) var playback: PlaybackStatus?
    /// `c`: the connection picker, when open.
    public internal(set) var connectionPicker: ConnectionPicker?
    /// `W`: the watch board, its tiles and their alerts.
    public internal(set) var board = BoardState()

    /// Bumped when expansion, sorting or `$SYS` visibility changes; part of the row cache key.
    var expansionVersion = 0
    /// Tree rows of the last frame. A class so that the read-only `render` can fill it; see `RowCache`.
    var rowCache = RowCache()

    public init(settings: DashboardSettings = DashboardSettings(), subscriptions: [Subscription] = [Subscription(filter: "#")]) {
        self.settings = settings
        self.subscriptions = subscriptions
        tree = TopicTree(historyCapacity: settings.historyPerTopic)
        log = MessageLog(capacity: settings.logCapacity)
        decoding = PayloadDecoding(rules: settings.decoders, limits: DecodeLimits(maximumOutputBytes: 1024 * 1024))
    }

    /// The rules and the Sparkplug aliases learnt from births; a dashboard never inflates more than 1 MiB.
    public internal(set) var decoding: PayloadDecoding

    /// How `topic` shows: the view chosen with `v`, else the first of its cycle.
    public func payloadView(for topic: String) -> PayloadView {
        payloadViews[topic] ?? (settings.decoders.chain(for: topic).map(PayloadView.decoder) ?? .mode(.automatic))
    }

    /// The selected topic's view.
    public var payloadView: PayloadView {
        selection.map { payloadView(for: tree.nodes[$0].topic) } ?? .mode(.automatic)
    }

    /// `message` through the chain its topic shows with; nil when it shows without a decoder.
    public func decoded(_ message: ReceivedMessage) -> DecodedPayload? {
        guard let chain = payloadView(for: message.topic).chain else { return nil }
        let bytes = Array(message.payload.readableBytesView)
        guard let result = decoding.decode(topic: message.topic, payload: bytes, chain: chain) else { return nil }
        return DecodedPayload(chain: chain, result: result)
    }

    /// Messages per second over the last few seconds.
    public var messagesPerSecond: Double { rate.perSecond(now: now) }
    public var totalMessages: Int { tree.totalMessages }
}
