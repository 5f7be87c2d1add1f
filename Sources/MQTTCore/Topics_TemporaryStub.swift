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
