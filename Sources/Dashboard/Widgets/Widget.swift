/// Something that draws itself into an area of a buffer (ratatui's shape). Widgets are values
/// built from the state for one frame; they keep nothing between frames.
public protocol Widget {
    func render(in area: Rect, buffer: inout Buffer, theme: Theme)
}
