/// Clicks focus a pane (and select or fold a tree row); the wheel scrolls the pane under it.
extension DashboardState {
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
