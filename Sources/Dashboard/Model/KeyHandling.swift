import MQTTCore

/// Key routing: the innermost overlay gets the key first, then the keys that work everywhere,
/// then the focused pane. Ctrl-C quits from anywhere.
extension DashboardState {
    mutating func handle(_ key: Key) -> [DashboardCommand] {
        if key == .control("c") { return quit() }
        notice = nil
        if confirmation != nil { return handleConfirmation(key) }
        if showHelp {
            showHelp = false
            return []
        }
        if prompt != nil {
            handlePrompt(key)
            return []
        }
        if subscriptionEditor != nil { return handleSubscriptionEditor(key) }
        if publishFormOpen { return handlePublishForm(key) }
        if brokerPane.isOpen { return handleBrokerPane(key) }
        if let commands = handleGlobal(key) { return commands }
        switch focus {
        case .tree: handleTree(key)
        case .log: handleLog(key)
        case .detail: handleDetail(key)
        }
        return []
    }

    private mutating func quit() -> [DashboardCommand] {
        shouldQuit = true
        return [.quit]
    }

    /// Keys with the same meaning in every pane; nil when the key is not one of them.
    private mutating func handleGlobal(_ key: Key) -> [DashboardCommand]? {
        switch key {
        case .character("q"): return quit()
        case .character("?"), .function(1): showHelp = true
        case .character("/"): prompt = Prompt(purpose: .search, text: "")
        case .character("n"): jumpToHit(forward: true)
        case .character("N"): jumpToHit(forward: false)
        case .character("s"):
            sortOrder = sortOrder == .name ? .recency : .name
            expansionVersion += 1
        case .character("$"):
            settings.showSystemTopics.toggle()
            expansionVersion += 1
        case .tab: cycleFocus(by: 1)
        case .backTab: cycleFocus(by: -1)
        case .character("v"):
            let modes = PayloadViewMode.allCases
            payloadMode = modes[(modes.firstIndex(of: payloadMode)! + 1) % modes.count]
            detailScroll = 0
        case .character("p"):
            // Prefilled from the selection, the cursor waits in the payload, as init(topic:) does.
            if let id = selection {
                publishForm.topic = tree.nodes[id].topic
                publishForm.focus = .payload
            }
            publishFormOpen = true
        case .character("d"): return clearSelectedRetained()
        case .character("D"): askToClearSubtree()
        case .character("S"): subscriptionEditor = SubscriptionEditor()
        case .character("B"): return openBrokerPane()
        case .character("f"): prompt = Prompt(purpose: .logFilter, text: log.filter ?? "")
        case .character("F"): prompt = Prompt(purpose: .plotField, text: plotField ?? "")
        case .escape:
            search = nil
            searchHits = []
        default: return nil
        }
        return []
    }

    private mutating func cycleFocus(by step: Int) {
        let panes = PaneFocus.allCases
        focus = panes[(panes.firstIndex(of: focus)! + step + panes.count) % panes.count]
    }

    // MARK: tree

    private mutating func handleTree(_ key: Key) {
        let page = max(1, treeHeight - 1)
        switch key {
        case .up, .character("k"): moveSelection(by: -1)
        case .down, .character("j"): moveSelection(by: 1)
        case .pageUp: moveSelection(by: -page)
        case .pageDown: moveSelection(by: page)
        case .home, .character("g"): moveSelection(by: -Int.max / 2)
        case .end, .character("G"): moveSelection(by: Int.max / 2)
        case .enter, .character(" "): if let id = selection { toggle(id) }
        case .left, .character("h"):
            guard let id = selection else { return }
            if tree.nodes[id].hasChildren && isExpanded(id) {
                setExpanded(id, false)
            } else if tree.nodes[id].parent > TopicTree.root {
                select(tree.nodes[id].parent)
            }
        case .right, .character("l"):
            guard let id = selection, tree.nodes[id].hasChildren else { return }
            if isExpanded(id) { moveSelection(by: 1) } else { setExpanded(id, true) }
        default: break
        }
    }

    mutating func moveSelection(by delta: Int) {
        let rows = treeRows
        guard !rows.isEmpty else { return }
        let current = selectedRow ?? 0
        select(rows[max(0, min(rows.count - 1, current + delta))])
    }

    mutating func select(_ id: Int) {
        if id != selectedNode { detailScroll = 0 }
        // Pin the current row before moving, so the scroll is measured from what is on screen.
        treeScroll = visibleTreeScroll(height: treeHeight)
        selectedNode = id
        treeScroll = visibleTreeScroll(height: treeHeight)
    }

    private mutating func toggle(_ id: Int) {
        guard tree.nodes[id].hasChildren else { return }
        setExpanded(id, !isExpanded(id))
    }

    mutating func setExpanded(_ id: Int, _ expanded: Bool) {
        // Selecting the node first keeps the selection visible when a descendant of it was selected.
        if let selected = selection, selected != id, !expanded, isAncestor(id, of: selected) { selectedNode = id }
        tree.setExpanded(id, expanded)
        expansionVersion += 1
        treeScroll = visibleTreeScroll(height: treeHeight)
    }

    private func isAncestor(_ ancestor: Int, of id: Int) -> Bool {
        var current = tree.nodes[id].parent
        while current >= 0 {
            if current == ancestor { return true }
            current = tree.nodes[current].parent
        }
        return false
    }

    // MARK: search

    /// Every node in display order, folded or not (hidden `$SYS` left out): the order `n` and `N` walk.
    private func allNodesInOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(tree.nodes.count)
        var stack = Array(tree.children(of: TopicTree.root, by: sortOrder, cache: rowCache).reversed())
        while let id = stack.popLast() {
            if tree.nodes[id].isSystem && !settings.showSystemTopics { continue }
            order.append(id)
            stack.append(contentsOf: tree.children(of: id, by: sortOrder, cache: rowCache).reversed())
        }
        return order
    }

    private mutating func runSearch(_ query: String) {
        search = query.isEmpty ? nil : query
        jumpToHit(forward: true, includingCurrent: true)
    }

    /// A query with `+` or `#` is an MQTT filter, anything else a case-insensitive substring of the topic.
    /// Recomputes the hits (topics keep arriving) and selects the next one after the selection, wrapping.
    mutating func jumpToHit(forward: Bool, includingCurrent: Bool = false) {
        guard let query = search else { return }
        let order = allNodesInOrder()
        let lowered = query.lowercased()
        let isFilter = query.contains("+") || query.contains("#")
        var hitPositions: [Int] = []
        for (position, id) in order.enumerated() {
            let topic = tree.nodes[id].topic
            if isFilter ? Topic.matches(filter: query, topic: topic) : topic.lowercased().contains(lowered) {
                hitPositions.append(position)
            }
        }
        searchHits = hitPositions.map { order[$0] }
        guard !hitPositions.isEmpty else {
            notice = "no topic matches " + query
            return
        }
        let current = selection.flatMap { order.firstIndex(of: $0) } ?? -1
        let index: Int
        if forward {
            index = hitPositions.firstIndex { includingCurrent ? $0 >= current : $0 > current } ?? 0
        } else {
            index = hitPositions.lastIndex { $0 < current } ?? hitPositions.count - 1
        }
        let hit = order[hitPositions[index]]
        reveal(hit)
        select(hit)
        notice = "match \(index + 1)/\(hitPositions.count)"
    }

    /// Expands every ancestor of `id` so that it has a row.
    private mutating func reveal(_ id: Int) {
        var current = tree.nodes[id].parent
        while current > TopicTree.root {
            if !isExpanded(current) { tree.setExpanded(current, true) }
            current = tree.nodes[current].parent
        }
        expansionVersion += 1
    }

    // MARK: prompt

    private mutating func handlePrompt(_ key: Key) {
        guard let current = prompt else { return }
        switch key {
        case .escape: prompt = nil
        case .enter:
            prompt = nil
            commit(current)
        case .backspace, .delete: if !current.text.isEmpty { prompt?.text.removeLast() }
        case .control("u"): prompt?.text = ""
        case .character(let character): prompt?.text.append(character)
        default: break
        }
    }

    private mutating func commit(_ prompt: Prompt) {
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
                    return
                }
            }
            log.setFilter(text)
        case .plotField:
            plotField = text.isEmpty ? nil : text
        }
    }

    // MARK: log and detail

    /// Entries the log pane shows at the current size.
    var logRows: Int { max(1, ScreenLayout(width: screenWidth, height: screenHeight).log.height - 2) }

    private mutating func handleLog(_ key: Key) {
        let rows = logRows
        switch key {
        case .up, .character("k"): log.scroll(by: -1, rows: rows)
        case .down, .character("j"): log.scroll(by: 1, rows: rows)
        case .pageUp: log.scroll(by: -rows, rows: rows)
        case .pageDown: log.scroll(by: rows, rows: rows)
        case .home, .character("g"): log.scrollToOldest(rows: rows)
        case .end, .character("G"): log.follow()
        default: break
        }
    }

    private mutating func handleDetail(_ key: Key) {
        let page = max(1, ScreenLayout(width: screenWidth, height: screenHeight).detail.height - 3)
        switch key {
        case .up, .character("k"): scrollDetail(by: -1)
        case .down, .character("j"): scrollDetail(by: 1)
        case .pageUp: scrollDetail(by: -page)
        case .pageDown: scrollDetail(by: page)
        case .home, .character("g"): detailScroll = 0
        default: break
        }
    }

    mutating func scrollDetail(by delta: Int) {
        detailScroll = max(0, detailScroll + delta)
    }

    // MARK: retained

    private mutating func clearSelectedRetained() -> [DashboardCommand] {
        guard let id = selection else { return [] }
        let node = tree.nodes[id]
        guard node.retained else {
            notice = SafeText.line(node.topic) + " holds no retained message"
            return []
        }
        notice = "clearing retained " + SafeText.line(node.topic)
        return [.clearRetained(topics: [node.topic])]
    }

    private mutating func askToClearSubtree() {
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

    private mutating func handleConfirmation(_ key: Key) -> [DashboardCommand] {
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

    // MARK: publish form

    private mutating func handlePublishForm(_ key: Key) -> [DashboardCommand] {
        switch publishForm.handle(key, isV5: settings.isV5) {
        case .none: return []
        case .submit(let command): return [command]
        case .close:
            publishFormOpen = false
            return []
        }
    }

    // MARK: subscriptions

    private mutating func handleSubscriptionEditor(_ key: Key) -> [DashboardCommand] {
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

    // MARK: mouse

    mutating func handle(_ mouse: MouseEvent) {
        let layout = ScreenLayout(width: screenWidth, height: screenHeight)
        guard !layout.isTooSmall, confirmation == nil, prompt == nil, subscriptionEditor == nil, !publishFormOpen,
              !brokerPane.isOpen else { return }
        if showHelp {
            showHelp = false
            return
        }
        switch mouse {
        case .click(let x, let y):
            if layout.tree.contains(x: x, y: y) {
                focus = .tree
                let row = visibleTreeScroll(height: treeHeight) + (y - layout.tree.y - 1)
                let rows = treeRows
                if y > layout.tree.y, y < layout.tree.maxY - 1, row < rows.count {
                    if rows[row] == selection { toggle(rows[row]) } else { select(rows[row]) }
                }
            } else if layout.log.contains(x: x, y: y) {
                focus = .log
            } else if layout.detail.contains(x: x, y: y) {
                focus = .detail
            }
        case .wheelUp(let x, let y), .wheelDown(let x, let y):
            let step = { if case .wheelUp = mouse { -3 } else { 3 } }()
            if layout.tree.contains(x: x, y: y) {
                moveSelection(by: step)
            } else if layout.log.contains(x: x, y: y) {
                log.scroll(by: step, rows: logRows)
            } else if layout.detail.contains(x: x, y: y) {
                scrollDetail(by: step)
            }
        }
    }
}
