/// Clearing retained messages: `d` for the selected topic, `D` for a subtree after a y/n question.
extension DashboardState {
    mutating func clearSelectedRetained() -> [DashboardCommand] {
        guard let id = selection else { return [] }
        let node = tree.nodes[id]
        guard node.retained else {
            notice = SafeText.line(node.topic) + " holds no retained message"
            return []
        }
        notice = "clearing retained " + SafeText.line(node.topic)
        return [.clearRetained(topics: [node.topic])]
    }

    mutating func askToClearSubtree() {
        guard let id = selection else { return }
        let topics = tree.retainedTopics(under: id)
        let where_ = SafeText.line(tree.nodes[id].topic)
        guard !topics.isEmpty else {
            notice = "no retained topics under " + where_
            return
        }
        let noun = topics.count == 1 ? "topic" : "topics"
        confirmation = Confirmation(question: "Clear \(topics.count) retained \(noun) under \(where_)?",
                                    commands: [.clearRetained(topics: topics)], notice: "clearing retained topics")
    }

    mutating func handleConfirmation(_ key: Key) -> [DashboardCommand] {
        switch key {
        case .character("y"), .character("Y"):
            let commands = confirmation?.commands ?? []
            notice = confirmation?.notice
            confirmation = nil
            return commands
        case .character("n"), .character("N"), .escape, .character("q"):
            confirmation = nil
        default:
            break
        }
        return []
    }
}
