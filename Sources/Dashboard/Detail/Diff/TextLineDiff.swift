/// Text compared by line: the longest common subsequence of lines kept, the rest removed or added.
enum TextLineDiff {
    static func lines(_ previous: String, _ current: String) -> [MessageDiff.Line] {
        let old = split(previous)
        let new = split(current)
        // Common head and tail first: most updates change a few lines, and the table shrinks to them.
        var head = 0
        while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] { tail += 1 }
        let a = Array(old[head..<(old.count - tail)])
        let b = Array(new[head..<(new.count - tail)])
        var lines = old[..<head].map { MessageDiff.Line(change: .same, text: $0) }
        lines += middle(a, b)
        lines += old[(old.count - tail)...].map { MessageDiff.Line(change: .same, text: $0) }
        return lines
    }

    private static func split(_ text: String) -> [String] {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map { SafeText.line(String($0)) }
        return Array(all.prefix(MessageDiff.maximumTextLines))
    }

    /// The changed middle by LCS table (`a.count * b.count` cells, at most 4M with the line cap).
    private static func middle(_ a: [String], _ b: [String]) -> [MessageDiff.Line] {
        if a.isEmpty || b.isEmpty {
            return a.map { .init(change: .removed, text: $0) } + b.map { .init(change: .added, text: $0) }
        }
        let width = b.count + 1
        var table = [Int32](repeating: 0, count: (a.count + 1) * width)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i * width + j] = a[i] == b[j] ? table[(i + 1) * width + j + 1] + 1
                    : max(table[(i + 1) * width + j], table[i * width + j + 1])
            }
        }
        var lines: [MessageDiff.Line] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(.init(change: .same, text: a[i]))
                i += 1
                j += 1
            } else if i < a.count, j == b.count || table[(i + 1) * width + j] >= table[i * width + j + 1] {
                // Removed before added on a tie, as diff tools print a replaced line.
                lines.append(.init(change: .removed, text: a[i]))
                i += 1
            } else {
                lines.append(.init(change: .added, text: b[j]))
                j += 1
            }
        }
        return lines
    }
}
