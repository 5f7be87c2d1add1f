/// The decoded detail view's folds: Enter or Space on the line that opens a map or a list folds it (and
/// unfolds it again); kept per topic for the session, so the next message of the topic shows folded too.
extension DashboardState {
    /// The selected topic's decoded map or list with its folds, the first `maxRows` rows; nil when the topic
    /// does not show a decoded map or list.
    func selectedOutline(maxRows: Int) -> DecodedOutline? {
        guard let id = selection, let message = tree.nodes[id].last, let decoded = decoded(message),
              case .success(let value) = decoded.result, DecodedOutline.isOutline(value) else { return nil }
        return DecodedOutline(value, folds: decodedFolds[message.topic] ?? [], maxRows: maxRows)
    }

    /// The detail pane's keys on an outline; false when the key is not for it (then it scrolls as before).
    mutating func handleOutlineKey(_ key: Key) -> Bool {
        guard key == .enter || key == .character(" ") else { return false }
        guard let outline = selectedOutline(maxRows: detailScroll + 1), let id = selection else { return false }
        let row = outline.rows[min(detailScroll, outline.rows.count - 1)]
        guard let path = row.foldPath else { return true }
        let topic = tree.nodes[id].topic
        if decodedFolds[topic, default: []].remove(path) == nil { decodedFolds[topic, default: []].insert(path) }
        return true
    }

    /// The cursor stays on a row of the outline.
    mutating func clampOutlineCursor() {
        guard let outline = selectedOutline(maxRows: detailScroll + 1) else { return }
        detailScroll = min(detailScroll, outline.rows.count - 1)
    }
}
