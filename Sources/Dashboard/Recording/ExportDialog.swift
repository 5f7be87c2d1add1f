import MQTTCore

/// `e`: what to export, in which format, to which file.
public struct ExportDialog: Sendable, Equatable {
    public enum Source: Sendable, CaseIterable, Equatable {
        /// The log pane as filtered.
        case log
        /// The selected topic's history.
        case history
        /// The latest value of every topic below the selection (itself included).
        case latestBelow
        /// The selected topic's plotted series (time, value).
        case plot

        var label: String {
            switch self {
            case .log: "the log as filtered"
            case .history: "the selected topic's history"
            case .latestBelow: "the latest value of every topic below the selection"
            case .plot: "the selected topic's plotted series (CSV)"
            }
        }
    }

    public var source = Source.log
    public var format = ExportFormat.jsonl
    public var path: String
    public var error: String?
}

public enum ExportFormat: String, Sendable, Hashable {
    case jsonl, csv
}

/// What the app writes: messages as recording lines or CSV rows, or a plot's series as CSV (the selected
/// topic's first, then those overlaid with `O`).
public struct ExportRequest: Sendable, Hashable {
    public enum Content: Sendable, Equatable {
        case messages([ReceivedMessage])
        case series([PlotSeries])
    }

    public var path: String
    public var format: ExportFormat
    public var content: Content
    /// One per message: the compact JSON of what its topic's decoder made of it, nil for a topic shown
    /// without a decoder (or whose decoder failed); empty when no message has one (then no "decoded" column).
    public var decoded: [String?]

    public init(path: String, format: ExportFormat, content: Content, decoded: [String?] = []) {
        self.path = path
        self.format = format
        self.content = content
        self.decoded = decoded
    }

    public var rowCount: Int {
        switch content {
        case .messages(let messages): messages.count
        case .series(let series): series.reduce(0) { $0 + $1.points.count }
        }
    }

    // The rows are compared but not hashed: a command is hashed for sets in tests, never for its rows.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(format)
        hasher.combine(rowCount)
    }
}

/// The app's answer to an export: the rows written, or why nothing (or not all) was.
public struct ExportOutcome: Sendable, Hashable {
    public var path: String
    public var rows: Int
    public var error: String?

    public init(path: String, rows: Int, error: String? = nil) {
        self.path = path
        self.rows = rows
        self.error = error
    }
}

extension DashboardState {
    mutating func openExportDialog() {
        exportDialog = ExportDialog(path: "mqdash-export-" + Format.fileStamp(now) + ".jsonl")
    }

    /// ↑↓ what, ←→ (or Tab) the format, typing edits the file name, Enter exports, Esc closes.
    mutating func handleExportDialog(_ key: Key) -> [DashboardCommand] {
        guard var dialog = exportDialog else { return [] }
        dialog.error = nil
        let sources = ExportDialog.Source.allCases
        switch key {
        case .escape:
            exportDialog = nil
            return []
        case .up, .down:
            let index = sources.firstIndex(of: dialog.source)! + (key == .up ? -1 : 1)
            dialog.source = sources[(index + sources.count) % sources.count]
            if dialog.source == .plot { dialog.setFormat(.csv) }
        case .left, .right, .tab, .backTab:
            dialog.setFormat(dialog.format == .jsonl || dialog.source == .plot ? .csv : .jsonl)
        case .backspace, .delete: if !dialog.path.isEmpty { dialog.path.removeLast() }
        case .control("u"): dialog.path = ""
        case .character(let character): dialog.path.append(character)
        case .enter:
            switch exportRequest(dialog) {
            case .success(let request):
                exportDialog = nil
                return [.export(request)]
            case .failure(let problem):
                dialog.error = problem.text
            }
        default: break
        }
        exportDialog = dialog
        return []
    }

    struct ExportProblem: Error { var text: String }

    func exportRequest(_ dialog: ExportDialog) -> Result<ExportRequest, ExportProblem> {
        guard !dialog.path.isEmpty else { return .failure(ExportProblem(text: "give a file name")) }
        let content: ExportRequest.Content
        switch dialog.source {
        case .log:
            let filter = log.filter
            content = .messages((log.oldest..<log.total).map { log.entry($0) }.filter { message in
                filter.map { Topic.matches(filter: $0, topic: message.topic) } ?? true
            })
        case .history:
            guard let id = selection, id != TopicTree.root else { return .failure(ExportProblem(text: "no topic selected")) }
            content = .messages(tree.history(of: id).isEmpty ? tree.nodes[id].last.map { [$0] } ?? [] : tree.history(of: id))
        case .latestBelow:
            guard let id = selection else { return .failure(ExportProblem(text: "no topic selected")) }
            content = .messages(tree.latestMessages(under: id))
        case .plot:
            guard let id = selection, id != TopicTree.root else { return .failure(ExportProblem(text: "no topic selected")) }
            let view = selectedDetailView()
            let own = PlotSeries(name: TileKey(topic: tree.nodes[id].topic, field: plotField).name, points: view.plotPoints())
            content = .series([own] + view.overlays)
        }
        var decodedJSON: [String?] = []
        if case .messages(let messages) = content {
            decodedJSON = messages.map { message in
                guard case .success(let value)? = decoded(message)?.result else { return nil }
                return value.jsonText
            }
            if !decodedJSON.contains(where: { $0 != nil }) { decodedJSON = [] }
        }
        return .success(ExportRequest(path: dialog.path, format: dialog.source == .plot ? .csv : dialog.format, content: content,
                                      decoded: decodedJSON))
    }

    mutating func receive(_ outcome: ExportOutcome) {
        let path = SafeText.line(outcome.path, maxCharacters: 60)
        if let error = outcome.error {
            notice = "export failed: " + SafeText.line(error, maxCharacters: 100)
        } else {
            notice = "exported \(outcome.rows) " + (outcome.rows == 1 ? "row" : "rows") + " to " + path
        }
    }
}

extension ExportDialog {
    /// Switches the format and the file name's extension with it, when it has the other one.
    mutating func setFormat(_ newFormat: ExportFormat) {
        let old = "." + format.rawValue
        if path.hasSuffix(old) { path = String(path.dropLast(old.count)) + "." + newFormat.rawValue }
        format = newFormat
    }
}

extension TopicTree {
    /// The newest message of every topic at or below `id`, in topic order.
    func latestMessages(under id: Int) -> [ReceivedMessage] {
        var result: [ReceivedMessage] = []
        var stack = [id]
        while let next = stack.popLast() {
            if let last = nodes[next].last { result.append(last) }
            stack.append(contentsOf: nodes[next].children.values)
        }
        return result.sorted { $0.topic < $1.topic }
    }
}
