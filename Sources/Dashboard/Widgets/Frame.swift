/// A pane's border with a title on the top edge and an optional note on the right of it.
/// The focused pane's border uses the title role so the eye finds it.
struct Frame: Widget {
    /// How a focused frame shows it.
    enum FocusMark {
        /// The whole border in the title role.
        case border
        /// The top and bottom edges in the title role and the title in the selection role, the sides as they
        /// are: for many frames side by side (the board's tiles), where moving the focus then changes four runs
        /// of cells instead of two cells on every row, which cost a key frame about 1.3 ms of terminal output.
        case edges
    }

    var title: String
    var note: String = ""
    var focused = false
    var focusMark = FocusMark.border

    /// The area inside the border.
    static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let edges = theme.style(focused ? .title : .border)
        let sides = focused && focusMark == .border ? edges : theme.style(.border)
        buffer.fill(area, style: theme.style(.text))
        let horizontal = String(repeating: "─", count: area.width - 2)
        buffer.write("┌" + horizontal + "┐", x: area.x, y: area.y, style: edges)
        buffer.write("└" + horizontal + "┘", x: area.x, y: area.maxY - 1, style: edges)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.write("│", x: area.x, y: y, style: sides)
            buffer.write("│", x: area.maxX - 1, y: y, style: sides)
        }
        let titleStyle = theme.style(focused && focusMark == .edges ? .selection : .title)
        let used = buffer.write(" " + title + " ", x: area.x + 1, y: area.y, style: titleStyle, maxWidth: area.width - 2)
        let noteText = " " + note + " "
        let noteWidth = DisplayWidth.of(noteText)
        if !note.isEmpty, used + noteWidth + 3 <= area.width {
            buffer.write(noteText, x: area.maxX - 2 - noteWidth, y: area.y, style: theme.style(.dim))
        }
    }
}
