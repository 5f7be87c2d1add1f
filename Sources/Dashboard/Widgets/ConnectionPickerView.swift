/// `c`: the profiles, one row each (name, broker, user), the selected one highlighted.
struct ConnectionPickerView: Widget {
    var picker: ConnectionPicker
    /// The broker watched now, named at the top.
    var current: String

    static func height(_ picker: ConnectionPicker) -> Int { max(6, min(18, picker.choices.count + 5)) }

    func render(in area: Rect, buffer: inout Buffer, theme: Theme) {
        Frame(title: "Connect to", note: "Esc closes", focused: true).render(in: area, buffer: &buffer, theme: theme)
        let inner = Frame.inner(area)
        guard inner.height >= 3 else { return }
        buffer.write(" now: " + SafeText.line(current, maxCharacters: 120), x: inner.x, y: inner.y, style: theme.style(.dim), maxWidth: inner.width)
        let names = picker.choices.map { SafeText.line($0.name, maxCharacters: 20) }
        let addresses = picker.choices.map { SafeText.line($0.address, maxCharacters: 40) }
        let nameWidth = names.map(DisplayWidth.of).max() ?? 0
        let addressWidth = addresses.map(DisplayWidth.of).max() ?? 0
        let listHeight = inner.height - 2
        let first = max(0, picker.selected - listHeight + 1)
        for (line, index) in (first..<min(picker.choices.count, first + listHeight)).enumerated() {
            let choice = picker.choices[index]
            let row = Rect(x: inner.x, y: inner.y + 1 + line, width: inner.width, height: 1)
            let selected = index == picker.selected
            if selected { buffer.fill(row, style: theme.style(.selection)) }
            let text = " " + Format.pad(names[index], nameWidth) + "  " + Format.pad(addresses[index], addressWidth) + "  "
                + (choice.user.map { SafeText.line($0, maxCharacters: 30) } ?? "")
            buffer.write(text, x: row.x, y: row.y, style: theme.style(selected ? .selection : .text), maxWidth: row.width)
        }
        buffer.write(" ↑↓ select  Enter connects (a fresh tree)", x: inner.x, y: inner.maxY - 1, style: theme.style(.dim), maxWidth: inner.width)
    }
}
