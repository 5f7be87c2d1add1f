/// `y` copies the selected topic's payload, `Y` its topic, through the terminal (OSC 52).
extension DashboardState {
    enum CopyTarget { case payload, topic }

    mutating func copySelection(_ target: CopyTarget) -> [DashboardCommand] {
        guard let id = selection else {
            notice = "nothing selected to copy"
            return []
        }
        let node = tree.nodes[id]
        let bytes: [UInt8]
        let what: String
        switch target {
        case .topic:
            bytes = Array(node.topic.utf8)
            what = "topic"
        case .payload:
            guard let message = node.last else {
                notice = "no message on this topic to copy"
                return []
            }
            // A part of a payload passes for the whole thing once pasted: copy whole payloads only.
            guard !message.isTruncated else {
                notice = "payload is \(message.size) B, only \(message.payload.readableBytes) B kept (--max-payload): not copied"
                return []
            }
            bytes = Array(message.payload.readableBytesView)
            what = "payload"
        }
        guard bytes.count <= OSC52.maximumBytes else {
            notice = "\(what) is \(bytes.count) B, more than the \(OSC52.maximumBytes) B a terminal takes: not copied"
            return []
        }
        notice = "copied \(what), \(bytes.count) B (OSC 52: the terminal may refuse; tmux needs set-clipboard on)"
        return [.copyToClipboard(bytes)]
    }
}
