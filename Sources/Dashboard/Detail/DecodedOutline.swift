import PayloadDecoders

/// A decoded map or list as the detail pane shows it: pretty JSON, two spaces a level, where every line that
/// opens a map or a list can fold to one line (`"metrics": [… 3 items]`). Built from the value itself, not
/// from its JSON text, so each line knows the path of what it opens.
struct DecodedOutline {
    struct Row: Equatable {
        var line: PayloadLine
        /// The path of the map or list this line opens (`metrics[0]`, `values.Temperature`; `` for the
        /// whole value), nil on other lines.
        var foldPath: String?
    }

    private(set) var rows: [Row] = []
    private let folds: Set<String>
    private let maxRows: Int

    /// Only maps and lists make an outline.
    static func isOutline(_ value: DecodedValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }

    /// The first `maxRows` rows of `value`, with the containers at `folds` folded.
    init(_ value: DecodedValue, folds: Set<String>, maxRows: Int) {
        self.folds = folds
        self.maxRows = maxRows
        var opening: PayloadLine = []
        add(value, path: "", depth: 0, prefix: &opening, suffix: "")
    }

    private var isFull: Bool { rows.count >= maxRows }

    /// Adds `value` whose line starts with `prefix` (indentation and key) and ends with `suffix` (a comma).
    private mutating func add(_ value: DecodedValue, path: String, depth: Int, prefix: inout PayloadLine, suffix: String) {
        if isFull { return }
        let children: [(key: String?, value: DecodedValue)]
        let (open, close): (String, String)
        switch value {
        case .object(let members):
            children = members.map { ($0.key, $0.value) }
            (open, close) = ("{", "}")
        case .array(let items):
            children = items.map { (nil, $0) }
            (open, close) = ("[", "]")
        default:
            prefix.append(Self.scalar(value))
            if !suffix.isEmpty { prefix.append(PayloadSpan(text: suffix, role: .text)) }
            rows.append(Row(line: prefix, foldPath: nil))
            return
        }
        if children.isEmpty {
            rows.append(Row(line: prefix + [PayloadSpan(text: open + close + suffix, role: .text)], foldPath: nil))
            return
        }
        if folds.contains(path) {
            let count = children.count
            let what = open == "{" ? (count == 1 ? "key" : "keys") : (count == 1 ? "item" : "items")
            rows.append(Row(line: prefix + [PayloadSpan(text: open + "… ", role: .text), PayloadSpan(text: "\(count) \(what)", role: .dim),
                                           PayloadSpan(text: close + suffix, role: .text)], foldPath: path))
            return
        }
        rows.append(Row(line: prefix + [PayloadSpan(text: open, role: .text)], foldPath: path))
        // Indentation stops growing so that deep nesting still leaves room for values (as JSONPretty).
        let indent = PayloadSpan(text: String(repeating: " ", count: 2 * min(depth + 1, 16)), role: .text)
        for (index, child) in children.enumerated() {
            if isFull { return }
            var line: PayloadLine = [indent]
            let childPath: String
            if let key = child.key {
                line.append(PayloadSpan(text: SafeText.line(DecodedValue.string(key).jsonText), role: .jsonKey))
                line.append(PayloadSpan(text: ": ", role: .text))
                childPath = path.isEmpty ? key : path + "." + key
            } else {
                childPath = path + "[\(index)]"
            }
            add(child.value, path: childPath, depth: depth + 1, prefix: &line, suffix: index < children.count - 1 ? "," : "")
        }
        if !isFull {
            let closing = PayloadSpan(text: String(repeating: " ", count: 2 * min(depth, 16)) + close + suffix, role: .text)
            rows.append(Row(line: [closing], foldPath: nil))
        }
    }

    private static func scalar(_ value: DecodedValue) -> PayloadSpan {
        let text = SafeText.line(value.jsonText, maxCharacters: 1 << 20)
        switch value {
        case .string, .bytes: return PayloadSpan(text: text, role: .jsonString)
        case .integer, .unsigned, .double: return PayloadSpan(text: text, role: .jsonNumber)
        default: return PayloadSpan(text: text, role: .jsonLiteral)
        }
    }
}
