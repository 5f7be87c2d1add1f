import MQTTCore

/// The subscriptions dialog (`S`): add, remove and change the QoS of the dashboard's subscriptions.
extension DashboardState {
    mutating func handleSubscriptionEditor(_ key: Key) -> [DashboardCommand] {
        guard var editor = subscriptionEditor else { return [] }
        defer { if subscriptionEditor != nil { subscriptionEditor = editor } }
        editor.error = nil
        if var filter = editor.newFilter {
            switch key {
            case .escape: editor.newFilter = nil
            case .tab: editor.newQoS = QoS(rawValue: (editor.newQoS.rawValue + 1) % 3)!
            case .backspace, .delete: if !filter.isEmpty { filter.removeLast() }; editor.newFilter = filter
            case .character(let character): editor.newFilter = filter + String(character)
            case .enter:
                do {
                    try Topic.validateFilter(filter)
                } catch {
                    editor.error = "not a topic filter: " + (filter.isEmpty ? "(empty)" : filter)
                    return []
                }
                let subscription = Subscription(filter: filter, qos: editor.newQoS)
                if let existing = subscriptions.firstIndex(where: { $0.filter == filter }) {
                    subscriptions[existing] = subscription
                    editor.selected = existing
                } else {
                    subscriptions.append(subscription)
                    editor.selected = subscriptions.count - 1
                }
                editor.newFilter = nil
                return [.subscribe(filter: filter, qos: editor.newQoS)]
            default: break
            }
            return []
        }
        switch key {
        case .escape, .character("q"), .character("S"): subscriptionEditor = nil
        case .up, .character("k"): editor.selected = max(0, editor.selected - 1)
        case .down, .character("j"): editor.selected = min(max(0, subscriptions.count - 1), editor.selected + 1)
        case .character("a"), .character("+"):
            editor.newFilter = ""
            editor.newQoS = .atMostOnce
        case .character("d"), .character("x"), .character("-"), .delete:
            guard subscriptions.indices.contains(editor.selected) else { return [] }
            let removed = subscriptions.remove(at: editor.selected)
            editor.selected = min(editor.selected, max(0, subscriptions.count - 1))
            return [.unsubscribe(filter: removed.filter)]
        case .character(let digit) where ("0"..."2").contains(digit):
            guard subscriptions.indices.contains(editor.selected), let qos = digit.wholeNumberValue.flatMap({ QoS(rawValue: UInt8($0)) })
            else { return [] }
            subscriptions[editor.selected].qos = qos
            return [.subscribe(filter: subscriptions[editor.selected].filter, qos: qos)]
        default: break
        }
        return []
    }
}
