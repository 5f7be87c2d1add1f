/// The first line of a recording made by mqdash: `{"mqdash_recording":1,"broker":...,"filters":[...],"start":...,"tool":...}`.
/// Readers skip it for replay; it says where and when the messages came from.
public struct RecordingHeader: Sendable, Hashable {
    /// The format version this code writes; a reader refuses a higher one rather than misread it.
    public static let currentVersion = 1

    public var version: Int
    public var broker: String?
    public var filters: [String]
    public var start: RecordTimestamp?
    public var tool: String?

    public init(version: Int = currentVersion, broker: String?, filters: [String], start: RecordTimestamp?, tool: String?) {
        self.version = version
        self.broker = broker
        self.filters = filters
        self.start = start
        self.tool = tool
    }
}
