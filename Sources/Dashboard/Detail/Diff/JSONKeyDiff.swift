import PayloadDecoders

/// JSON compared by key path: each leaf (`sensor.temp`, `list[2]`) is kept, added, removed or changed,
/// in the order of the new document, with the removed ones after.
enum JSONKeyDiff {
    static func lines(_ previous: DecodedValue, _ current: DecodedValue) -> [MessageDiff.Line] {
        let old = leaves(previous)
        let new = leaves(current)
        var oldValues: [String: String] = [:]
        for (path, value) in old where oldValues[path] == nil { oldValues[path] = value }
        let newPaths = Set(new.map(\.path))
        var lines: [MessageDiff.Line] = []
        for (path, value) in new {
            let text = label(path) + value
            switch oldValues[path] {
            case nil: lines.append(.init(change: .added, text: text))
            case value: lines.append(.init(change: .same, text: text))
            case let before?: lines.append(.init(change: .changed(old: before), text: text))
            }
        }
        for (path, value) in old where !newPaths.contains(path) {
            lines.append(.init(change: .removed, text: label(path) + value))
        }
        return lines
    }

    private static func label(_ path: String) -> String { path.isEmpty ? "" : path + ": " }

    /// Leaves in document order as (path, JSON text of the value); empty containers are leaves.
    static func leaves(_ value: DecodedValue, path: String = "") -> [(path: String, value: String)] {
        switch value {
        case .object(let members) where !members.isEmpty:
            var seen: [String: Int] = [:]
            return members.flatMap { member -> [(path: String, value: String)] in
                // A repeated key (protobuf) gets its occurrence number, so each one still has a path.
                let count = seen[member.key, default: 0]
                seen[member.key] = count + 1
                let key = count == 0 ? member.key : member.key + "#\(count + 1)"
                return leaves(member.value, path: path.isEmpty ? key : path + "." + key)
            }
        case .array(let items) where !items.isEmpty:
            return items.enumerated().flatMap { leaves($0.element, path: path + "[\($0.offset)]") }
        default:
            return [(path, SafeText.line(value.jsonText, maxCharacters: 200))]
        }
    }
}
