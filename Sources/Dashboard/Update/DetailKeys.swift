/// The detail pane's keys: scrolling the payload and its history; on a decoded map or list the scroll is a
/// cursor and Enter or Space folds (`DecodedFolding`).
extension DashboardState {
    mutating func handleDetail(_ key: Key) {
        if handleOutlineKey(key) { return }
        defer { clampOutlineCursor() }
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
}
