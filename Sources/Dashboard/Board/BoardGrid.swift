/// Where the tiles of a board go: as many columns of at least `minimumTileWidth` as the width allows,
/// tiles flowing left to right (a tile spans up to its `span` columns), and as many rows of at least
/// `minimumTileHeight` as fit, scrolled so that the selected tile is on screen.
enum BoardGrid {
    static let minimumTileWidth = 26
    static let minimumTileHeight = 8
    /// Taller rows only make the sparkline taller: past this they would be mostly empty.
    static let maximumTileHeight = 30

    static func columns(width: Int) -> Int { max(1, width / minimumTileWidth) }

    static func fits(_ area: Rect) -> Bool { area.width >= minimumTileWidth && area.height >= minimumTileHeight }

    /// The visible tiles' rects (index into `spans`), and how many tiles are off screen.
    static func place(spans: [Int], in area: Rect, selected: Int) -> (tiles: [(index: Int, rect: Rect)], hidden: Int) {
        let columns = columns(width: area.width)
        var cells: [(row: Int, column: Int, span: Int)] = []
        var row = 0
        var column = 0
        for span in spans {
            let width = min(columns, max(1, span))
            if column + width > columns {
                row += 1
                column = 0
            }
            cells.append((row, column, width))
            column += width
        }
        let rowCount = (cells.last?.row ?? -1) + 1
        let visibleRows = max(1, min(rowCount, area.height / minimumTileHeight))
        let rowHeight = min(maximumTileHeight, area.height / visibleRows)
        let selectedRow = cells.indices.contains(selected) ? cells[selected].row : 0
        let firstRow = max(0, selectedRow - visibleRows + 1)
        let columnWidth = area.width / columns
        var tiles: [(index: Int, rect: Rect)] = []
        for (index, cell) in cells.enumerated() where cell.row >= firstRow && cell.row < firstRow + visibleRows {
            let x = area.x + cell.column * columnWidth
            // The last column takes the cells the division left over.
            let maxX = cell.column + cell.span == columns ? area.maxX : x + cell.span * columnWidth
            tiles.append((index, Rect(x: x, y: area.y + (cell.row - firstRow) * rowHeight, width: maxX - x, height: rowHeight)))
        }
        return (tiles, spans.count - tiles.count)
    }
}
