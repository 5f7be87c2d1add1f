/// How the detail pane draws a `MessageDiff`: a marker per line (`+` added, `-` removed, `~`
/// changed, space kept), so the change reads without colour too.
enum DiffLines {
    static func styled(_ diff: MessageDiff) -> [PayloadLine] {
        diff.lines.map { line in
            switch line.change {
            case .same: [PayloadSpan(text: "  " + line.text, role: .dim)]
            case .added: [PayloadSpan(text: "+ " + line.text, role: .jsonString)]
            case .removed: [PayloadSpan(text: "- " + line.text, role: .error)]
            case .changed(let old):
                [PayloadSpan(text: "~ " + line.text, role: .searchMatch), PayloadSpan(text: "  (was " + old + ")", role: .dim)]
            }
        }
    }

    /// The title row over the diff.
    static func title(_ diff: MessageDiff?) -> String {
        guard let diff else { return "─ Diff: no previous message of this topic " }
        let count = diff.changeCount
        return "─ Diff with previous (\(diff.kind.rawValue), \(count) change\(count == 1 ? "" : "s")) "
    }
}
