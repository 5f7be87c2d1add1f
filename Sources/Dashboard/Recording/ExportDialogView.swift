/// `e`: the four things to export (the chosen one highlighted), the format and the file name.
struct ExportDialogView: Widget {
    var dialog: ExportDialog

    static let height = 10

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        buffer.fill(area, style: theme.style(.text))
        Frame(title: "Export", note: "Esc closes", focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height >= 7 else { return }
        for (line, source) in ExportDialog.Source.allCases.enumerated() {
            let chosen = source == dialog.source
            let row = Rect(x: inner.x, y: inner.y + line, width: inner.width, height: 1)
            if chosen { buffer.fill(row, style: theme.style(.selection)) }
            buffer.write((chosen ? " ▸ " : "   ") + source.label, x: row.x, y: row.y,
                         style: theme.style(chosen ? .selection : .text), maxWidth: row.width)
        }
        var x = inner.x
        let formatRow = inner.y + 4
        x += buffer.write(" format: ", x: x, y: formatRow, style: theme.style(.formLabel), maxWidth: inner.width)
        let format = dialog.source == .plot ? "CSV (time, value)" : (dialog.format == .jsonl ? "JSON Lines" : "CSV")
        buffer.write(format + "  (←→)", x: x, y: formatRow, style: theme.style(.text), maxWidth: inner.maxX - x)
        x = inner.x
        let fileRow = inner.y + 5
        x += buffer.write(" file: ", x: x, y: fileRow, style: theme.style(.formLabel), maxWidth: inner.width)
        buffer.write(SafeText.line(dialog.path) + "▏", x: x, y: fileRow, style: theme.style(.formFocus), maxWidth: inner.maxX - x)
        if let error = dialog.error {
            buffer.write(" " + SafeText.line(error), x: inner.x, y: inner.y + 6, style: theme.style(.error), maxWidth: inner.width)
        } else {
            buffer.write(" ↑↓ what  ←→ format  Enter exports", x: inner.x, y: inner.y + 6, style: theme.style(.dim), maxWidth: inner.width)
        }
    }
}
