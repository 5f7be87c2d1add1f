/// Where each pane goes at a given screen size: tree left, detail right, log along the bottom,
/// status bar on the last row. Pane rects include their one-cell border.
public struct ScreenLayout: Equatable, Sendable {
    public static let minimumWidth = 40
    public static let minimumHeight = 10

    public var screen: Rect
    public var tree: Rect
    public var detail: Rect
    public var log: Rect
    public var status: Rect

    public var isTooSmall: Bool { screen.width < Self.minimumWidth || screen.height < Self.minimumHeight }

    public init(width: Int, height: Int) {
        screen = Rect(x: 0, y: 0, width: width, height: height)
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = max(0, height - 1)
        // The log gets a third of the height, but at least two entries; on short screens the tree matters more.
        let logHeight = height < 16 ? 4 : max(6, body / 3)
        let topHeight = max(0, body - logHeight)
        // The tree needs room for indentation and counts; wide screens give the detail (and its plot) more.
        let treeWidth = width >= 120 ? width * 9 / 20 : width * 11 / 20
        tree = Rect(x: 0, y: 0, width: treeWidth, height: topHeight)
        detail = Rect(x: treeWidth, y: 0, width: width - treeWidth, height: topHeight)
        log = Rect(x: 0, y: topHeight, width: width, height: body - topHeight)
    }

    /// A box of at most `width` x `height` in the middle of the screen, leaving a margin.
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(width, screen.width - 2)
        let h = min(height, screen.height - 2)
        return Rect(x: (screen.width - w) / 2, y: (screen.height - h) / 2, width: w, height: h)
    }
}

extension Rect {
    public func contains(x: Int, y: Int) -> Bool {
        x >= self.x && x < maxX && y >= self.y && y < maxY
    }
}
