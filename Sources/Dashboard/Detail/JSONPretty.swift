import MQTTCore

/// Pretty-prints JSON bytes into coloured lines, two spaces per level. Validation and layout are
/// one pass with an explicit stack (no recursion, so deep nesting cannot overflow the stack);
/// only the first `maxLines` lines are kept, but the whole input is still checked so that
/// `.automatic` never calls something JSON that breaks further down.
enum JSONPretty {
    /// nil when `bytes` is not JSON. With `acceptCutEnd`, bytes that are valid JSON up to a cut
    /// (a payload stored only in part) still count, and show as far as they go.
    static func format(_ bytes: [UInt8], maxLines: Int, acceptCutEnd: Bool = false) -> [PayloadLine]? {
        var lexer = JSONLexer(bytes)
        var printer = Printer(bytes: bytes, maxLines: maxLines)
        var stack: [Bool] = []  // true for an object
        var expect = Expect.value
        while true {
            let token: JSONLexer.Token
            do {
                token = try lexer.next()
            } catch .endOfInput {
                return acceptCutEnd ? printer.finish() : nil
            } catch {
                return nil
            }
            switch (expect, token) {
            case (.done, .end):
                return printer.finish()
            case (_, .end):
                // Ran out between tokens: complete only if nothing was started.
                return acceptCutEnd && !(expect == .value && stack.isEmpty && printer.isEmpty) ? printer.finish() : nil
            case (.value, .beginObject), (.value, .beginArray):
                let isObject = token == .beginObject
                let close: JSONLexer.Token = isObject ? .endObject : .endArray
                if lexer.peek() == close {
                    _ = try? lexer.next()
                    printer.append(isObject ? "{}" : "[]", .text)
                    expect = stack.isEmpty ? .done : .commaOrClose
                } else {
                    printer.append(isObject ? "{" : "[", .text)
                    stack.append(isObject)
                    printer.newLine(depth: stack.count)
                    expect = isObject ? .key : .value
                }
            case (.value, .string(let range)):
                printer.append(range, .jsonString)
                expect = stack.isEmpty ? .done : .commaOrClose
            case (.value, .number(let range)):
                printer.append(range, .jsonNumber)
                expect = stack.isEmpty ? .done : .commaOrClose
            case (.value, .literal(let range)):
                printer.append(range, .jsonLiteral)
                expect = stack.isEmpty ? .done : .commaOrClose
            case (.key, .string(let range)):
                printer.append(range, .jsonKey)
                expect = .colon
            case (.colon, .colon):
                printer.append(": ", .text)
                expect = .value
            case (.commaOrClose, .comma):
                printer.append(",", .text)
                printer.newLine(depth: stack.count)
                expect = stack.last == true ? .key : .value
            case (.commaOrClose, .endObject), (.commaOrClose, .endArray):
                guard stack.last == (token == .endObject) else { return nil }
                stack.removeLast()
                printer.newLine(depth: stack.count)
                printer.append(token == .endObject ? "}" : "]", .text)
                expect = stack.isEmpty ? .done : .commaOrClose
            default:
                return nil
            }
        }
    }

    private enum Expect { case value, key, colon, commaOrClose, done }

    /// Collects spans into lines until `maxLines` are full, then only counts.
    private struct Printer {
        let bytes: [UInt8]
        let maxLines: Int
        var lines: [PayloadLine] = []
        var current: PayloadLine = []
        var isEmpty: Bool { lines.isEmpty && current.isEmpty }

        init(bytes: [UInt8], maxLines: Int) {
            self.bytes = bytes
            self.maxLines = maxLines
        }

        private var isFull: Bool { lines.count >= maxLines }

        mutating func append(_ text: String, _ role: Role) {
            if !isFull { current.append(PayloadSpan(text: text, role: role)) }
        }

        mutating func append(_ range: Range<Int>, _ role: Role) {
            // Strings may hold escapes or invalid UTF-8 (the lexer does not decode): SafeText shows them.
            if !isFull { current.append(PayloadSpan(text: SafeText.line(bytes[range], maxCharacters: 1 << 20), role: role)) }
        }

        mutating func newLine(depth: Int) {
            if isFull { return }
            lines.append(current)
            // Indentation stops growing so that absurd nesting still leaves room for values.
            current = [PayloadSpan(text: String(repeating: " ", count: 2 * min(depth, 16)), role: .text)]
        }

        mutating func finish() -> [PayloadLine] {
            if !isFull, !current.isEmpty { lines.append(current) }
            return lines
        }
    }
}
