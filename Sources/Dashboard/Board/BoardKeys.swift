/// The board's keys: `W` shows it, `P` pins the selection, `!` lists the alerts; while the board is
/// shown, arrows select a tile, `<` `>` move it, `[` `]` make it narrower or wider, `x` removes it,
/// `M` merges it into the tile before it (one plot), `+` `-` change the plot window, Enter shows the
/// tile's topic in the tree.
extension DashboardState {
    /// nil when the key is not the board's, so that the global keys still work on the board.
    mutating func handleBoardKey(_ key: Key) -> [DashboardCommand]? {
        if board.alertsOpen, let commands = handleAlertsPaneKey(key) { return commands }
        switch key {
        case .character("W"):
            board.isOpen.toggle()
            if board.isOpen && board.board == nil { notice = "no board yet: select a topic and press P to pin it" }
            return []
        case .character("P"): return pinSelection()
        case .character("!"):
            board.alertsOpen.toggle()
            board.selectedAlert = max(0, board.alerts.entries.count - 1)
            return []
        default: break
        }
        guard board.isOpen else { return nil }
        let count = board.board?.tiles.count ?? 0
        let columns = BoardGrid.columns(width: screenWidth)
        switch key {
        case .left, .character("h"): board.selectedTile = max(0, board.selectedTile - 1)
        case .right, .character("l"): board.selectedTile = min(max(0, count - 1), board.selectedTile + 1)
        case .up, .character("k"): board.selectedTile = max(0, board.selectedTile - columns)
        case .down, .character("j"): board.selectedTile = min(max(0, count - 1), board.selectedTile + columns)
        case .character("<"): return moveSelectedTile(by: -1)
        case .character(">"): return moveSelectedTile(by: 1)
        case .character("["): return resizeSelectedTile(by: -1)
        case .character("]"): return resizeSelectedTile(by: 1)
        case .character("x"), .delete: return removeSelectedTile()
        case .character("M"): return mergeSelectedTile()
        case .character("+"): board.window = min(TileSeries.windows.count - 1, board.window + 1)
        case .character("-"): board.window = max(0, board.window - 1)
        case .enter: showSelectedTileInTree()
        case .escape: board.isOpen = false
        default: return nil
        }
        return []
    }

    /// `!` open: ↑ ↓ choose an alert, `a` or Enter acknowledges it, Esc closes.
    private mutating func handleAlertsPaneKey(_ key: Key) -> [DashboardCommand]? {
        let count = board.alerts.entries.count
        switch key {
        case .up: board.selectedAlert = max(0, board.selectedAlert - 1)
        case .down: board.selectedAlert = min(max(0, count - 1), board.selectedAlert + 1)
        case .character("a"), .enter: board.alerts.acknowledge(board.selectedAlert)
        case .escape: board.alertsOpen = false
        default: return nil
        }
        return []
    }

    /// `P`: the selected topic (at the plotted field, if one is chosen) becomes a tile of the current board,
    /// which is made ("main") when there is none.
    private mutating func pinSelection() -> [DashboardCommand] {
        guard let id = selection, tree.nodes[id].last != nil else {
            notice = "select a topic with messages to pin it"
            return []
        }
        let tile = BoardTile(topic: tree.nodes[id].topic, field: plotField)
        if board.book.boards.isEmpty { board.book.boards = [Board(name: "main")] }
        if board.current >= board.book.boards.count { board.current = 0 }
        if board.book.boards[board.current].tiles.contains(where: { $0.key == tile.key }) {
            notice = SafeText.line(tile.name, maxCharacters: 60) + " is already on board " + board.book.boards[board.current].name
            return []
        }
        board.book.boards[board.current].tiles.append(tile)
        board.selectedTile = board.book.boards[board.current].tiles.count - 1
        notice = "pinned " + SafeText.line(tile.name, maxCharacters: 60) + " to board " + SafeText.line(board.book.boards[board.current].name)
        return boardsEdited()
    }

    private mutating func moveSelectedTile(by step: Int) -> [DashboardCommand] {
        guard var current = board.board, current.tiles.indices.contains(board.selectedTile) else { return [] }
        let target = board.selectedTile + step
        guard current.tiles.indices.contains(target) else { return [] }
        current.tiles.swapAt(board.selectedTile, target)
        board.book.boards[board.current] = current
        board.selectedTile = target
        return boardsEdited()
    }

    private mutating func resizeSelectedTile(by step: Int) -> [DashboardCommand] {
        guard var current = board.board, current.tiles.indices.contains(board.selectedTile) else { return [] }
        let span = current.tiles[board.selectedTile].span + step
        guard (1...BoardTile.maximumSpan).contains(span) else { return [] }
        current.tiles[board.selectedTile].span = span
        board.book.boards[board.current] = current
        return boardsEdited()
    }

    private mutating func removeSelectedTile() -> [DashboardCommand] {
        guard var current = board.board, current.tiles.indices.contains(board.selectedTile) else { return [] }
        let removed = current.tiles.remove(at: board.selectedTile)
        board.book.boards[board.current] = current
        notice = "removed " + SafeText.line(removed.name, maxCharacters: 60) + " from board " + SafeText.line(current.name)
        return boardsEdited()
    }

    /// `M`: the selected tile's series go into the tile before it, one plot on one time axis.
    private mutating func mergeSelectedTile() -> [DashboardCommand] {
        guard var current = board.board, board.selectedTile > 0, current.tiles.indices.contains(board.selectedTile) else {
            notice = "M merges the selected tile into the one before it"
            return []
        }
        let merged = current.tiles.remove(at: board.selectedTile)
        let target = board.selectedTile - 1
        for key in merged.plotted where !current.tiles[target].plotted.contains(key) { current.tiles[target].series.append(key) }
        if !merged.conditions.isEmpty { notice = "the rules of " + SafeText.line(merged.name, maxCharacters: 60) + " went with its tile" }
        board.book.boards[board.current] = current
        board.selectedTile = target
        return boardsEdited()
    }

    private mutating func showSelectedTileInTree() {
        guard let tile = board.board?.tiles[safe: board.selectedTile], let id = tree.node(tile.topic) else { return }
        board.isOpen = false
        focus = .tree
        reveal(id)
        select(id)
    }

    /// The tiles changed: index them again, and save the file when there is one.
    private mutating func boardsEdited() -> [DashboardCommand] {
        boardTilesChanged()
        guard let path = board.book.path else { return [] }
        return [.saveBoards(path: path, text: BoardFile.text(board.book.boards))]
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
