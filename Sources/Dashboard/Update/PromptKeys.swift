import MQTTCore

/// The one-line prompt (search, log filter, plot field): editing it and what Enter does.
extension DashboardState {
    mutating func handlePrompt(_ key: Key) -> [DashboardCommand] {
        guard let current = prompt else { return [] }
        switch key {
        case .escape: prompt = nil
        case .enter:
            prompt = nil
            return commit(current)
        case .backspace, .delete: if !current.text.isEmpty { prompt?.text.removeLast() }
        case .control("u"): prompt?.text = ""
        case .character(let character): prompt?.text.append(character)
        default: break
        }
        return []
    }

    private mutating func commit(_ prompt: Prompt) -> [DashboardCommand] {
        let text = prompt.text
        switch prompt.purpose {
        case .search:
            runSearch(text)
        case .logFilter:
            if !text.isEmpty {
                do {
                    try Topic.validateFilter(text)
                } catch {
                    notice = "not a topic filter: " + text
                    return []
                }
            }
            log.setFilter(text)
        case .plotField:
            plotField = text.isEmpty ? nil : text
        case .recordFile:
            if !text.isEmpty { return startRecording(to: text) }
        }
        return []
    }
}
