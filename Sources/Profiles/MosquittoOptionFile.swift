/// mosquitto_sub's and mosquitto_pub's own defaults file (`$XDG_CONFIG_HOME/mosquitto_sub`, ...), read as
/// their client_shared.c reads it, so that a user's existing file means the same to mqdash:
/// - a line whose first character is `#` is a comment; a line with nothing but spaces is skipped;
/// - line endings (LF, CR) are dropped;
/// - the option is the first word (leading spaces skipped); everything after the one space that ends it,
///   spaces included, is its argument: `-t a b` subscribes to "a b", and there is no quoting;
/// - the file's options come before the command line's, so a flag given there wins (and -t adds).
public struct MosquittoOptionFile: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var number: Int
        public var arguments: [String]

        public init(number: Int, arguments: [String]) {
            self.number = number
            self.arguments = arguments
        }
    }

    public var path: String
    public var lines: [Line]

    public init(path: String, text: String) {
        self.path = path
        var lines: [Line] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = Substring(raw)
            if line.first == "#" { continue }
            while line.last == "\r" || line.last == "\n" { line = line.dropLast() }
            let option = line.drop { $0 == " " }
            guard !option.isEmpty else { continue }
            guard let space = option.firstIndex(of: " ") else {
                lines.append(Line(number: index + 1, arguments: [String(option)]))
                continue
            }
            let argument = option[option.index(after: space)...]
            let name = String(option[..<space])
            lines.append(Line(number: index + 1, arguments: argument.isEmpty ? [name] : [name, String(argument)]))
        }
        self.lines = lines
    }

    /// Every line's arguments in order, as they go before the command line's.
    public var arguments: [String] { lines.flatMap(\.arguments) }
}
