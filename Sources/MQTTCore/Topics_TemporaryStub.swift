// Temporary stand-in until the topics branch lands; same API.
public enum TopicValidationError: Error, Equatable, Sendable { case empty, tooLong, containsNullCharacter, wildcardInTopicName, multiLevelWildcardNotLast, wildcardNotWholeLevel, invalidSharedSubscription }
public enum Topic {
    public static func validateName(_ name: String) throws(TopicValidationError) {
        if name.isEmpty { throw .empty }
        if name.contains("+") || name.contains("#") { throw .wildcardInTopicName }
    }
    public static func validateFilter(_ filter: String) throws(TopicValidationError) {
        if filter.isEmpty { throw .empty }
    }
}
public struct PacketIDAllocator: Sendable {
    var used: Set<UInt16> = []
    var last: UInt16 = 0
    public init() {}
    public mutating func next() -> UInt16? {
        guard used.count < 65535 else { return nil }
        repeat { last = last == 65535 ? 1 : last + 1 } while used.contains(last)
        used.insert(last); return last
    }
    @discardableResult public mutating func release(_ id: UInt16) -> Bool { used.remove(id) != nil }
    @discardableResult public mutating func markInUse(_ id: UInt16) -> Bool { id != 0 && used.insert(id).inserted }
    public func isInUse(_ id: UInt16) -> Bool { used.contains(id) }
    public var inUseCount: Int { used.count }
}
extension Topic {
    public static func matches(filter: String, topic: String) -> Bool { filter == topic || filter == "#" }
}
