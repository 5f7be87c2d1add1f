import PayloadDecoders

extension DashboardState {
    /// `=`: the selected topic's newest message against the one before it; nil with fewer than two kept.
    func selectedDiff() -> MessageDiff? {
        guard let id = selection else { return nil }
        let history = tree.history(of: id)
        guard history.count >= 2 else { return nil }
        let (previous, current) = (history[history.count - 2], history[history.count - 1])
        var trees: (previous: DecodedValue, current: DecodedValue)?
        // A topic shown through a decoder is compared by its decoded keys.
        if case .success(let old)? = decoded(previous)?.result, case .success(let new)? = decoded(current)?.result {
            trees = (old, new)
        }
        return MessageDiff.between(previous: Array(previous.payload.readableBytesView),
                                   current: Array(current.payload.readableBytesView), decoded: trees)
    }

    mutating func toggleDiff() {
        showDiff.toggle()
        detailScroll = 0
        notice = showDiff ? "diff with the previous message (= again for the payload)" : "payload"
    }
}
