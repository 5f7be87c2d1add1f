/// The status bar's marks for work that runs in the background (recording, playback), drawn after the
/// connection state in the warning colour so that a running recording is never forgotten.
extension StatusBar {
    static func activitySegments(_ state: DashboardState) -> [String] {
        var segments: [String] = []
        if let recording = state.recording {
            var text = " REC " + Format.count(recording.messages) + " " + Format.bytes(recording.bytes)
            if recording.dropped > 0 { text += " " + Format.count(recording.dropped) + " dropped" }
            segments.append(text + " ")
        }
        if let playback = state.playback { segments.append(playbackText(playback)) }
        return segments
    }
}
