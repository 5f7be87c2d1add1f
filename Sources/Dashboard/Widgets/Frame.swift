/// A pane's border with a title on the top edge and an optional note on the right of it.
/// The focused pane's border uses the title role so the eye finds it.
struct Frame: Widget {
    var title: String
    var note: String = ""
    var focused = false

    /// The area inside the border.
    static func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        guard area.width >= 2, area.height >= 2 else { return }
        let style = theme.style(focused ? .title : .border)
        buffer.fill(area, style: theme.style(.text))
        let horizontal = String(repeating: "─", count: area.width - 2)
        buffer.write("┌" + horizontal + "┐", x: area.x, y: area.y, style: style)
        buffer.write("└" + horizontal + "┘", x: area.x, y: area.maxY - 1, style: style)
        for y in (area.y + 1)..<(area.maxY - 1) {
            buffer.write("│", x: area.x, y: y, style: style)
            buffer.write("│", x: area.maxX - 1, y: y, style: style)
        }
        let used = buffer.write(" " + title + " ", x: area.x + 1, y: area.y, style: theme.style(.title), maxWidth: area.width - 2)
        let noteText = " " + note + " "
        let noteWidth = DisplayWidth.of(noteText)
        if !note.isEmpty, used + noteWidth + 3 <= area.width {
            buffer.write(noteText, x: area.maxX - 2 - noteWidth, y: area.y, style: theme.style(.dim))
        }
    }
}
