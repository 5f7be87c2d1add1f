/// The log pane's keys: scrolling back and following again.
extension DashboardState {
    /// Entries the log pane shows at the current size.
    var logRows: Int { max(1, ScreenLayout(width: screenWidth, height: screenHeight).log.height - 2) }

    mutating func handleLog(_ key: Key) {
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
}
