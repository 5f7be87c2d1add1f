/// `R`: a recording of what the dashboard receives, as the app's recorder reports it.
public struct RecordingStatus: Sendable, Hashable {
    public var path: String
    public var messages: Int
    /// Bytes written so far (uncompressed).
    public var bytes: Int64
    /// Messages the file could not keep up with (counted, not written).
    public var dropped: Int

    public init(path: String, messages: Int = 0, bytes: Int64 = 0, dropped: Int = 0) {
        self.path = path
        self.messages = messages
        self.bytes = bytes
        self.dropped = dropped
    }
}

/// What the app's recorder reports back to the UI.
public enum RecordingReport: Sendable, Hashable {
    /// Running: the counts so far (also the first report, right after the file was created).
    case running(RecordingStatus)
    /// Ended: by `R` (error nil), or by a write error such as a full disk, or it could not start.
    case stopped(RecordingStatus, error: String?)
}

extension DashboardState {
    /// `R`: asks for a file name (a timestamped default), or stops the recording that runs.
    mutating func toggleRecording() -> [DashboardCommand] {
        if recording != nil { return [.stopRecording] }
        prompt = Prompt(purpose: .recordFile, text: "mqdash-" + Format.fileStamp(now) + ".jsonl")
        return []
    }

    /// Enter in the file prompt: records everything, or only the log filter's matches when one is set.
    func startRecording(to path: String) -> [DashboardCommand] {
        [.startRecording(path: path, filter: log.filter)]
    }

    mutating func receive(_ report: RecordingReport) {
        switch report {
        case .running(let status):
            recording = status
        case .stopped(let status, let error):
            recording = nil
            let counts = Format.count(status.messages) + " messages, " + Format.bytes(status.bytes)
            if let error {
                notice = "recording stopped: " + SafeText.line(error, maxCharacters: 100) + " (" + counts + " kept)"
            } else {
                notice = "recorded " + counts + " to " + SafeText.line(status.path, maxCharacters: 60)
            }
        }
    }
}
