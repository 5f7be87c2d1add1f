/// Why the profiles file, a profile or its password could not be used: one line, naming the file and
/// line (and key) where there is one, as every config error in mqdash does.
public struct ProfileError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String?
    public var line: Int?
    public var key: String?
    public var message: String

    public init(file: String?, line: Int? = nil, key: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        guard let file else { return message }
        return file + (line.map { ":\($0)" } ?? "") + ": " + message
    }
}
