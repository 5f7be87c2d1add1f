import MQTTCore

/// What a connection needs to know about the listener that accepted it.
public struct ListenerContext: Sendable {
    public var port: Int
    public var security: ListenerSecurity
    public var maximumQoS: QoS
    /// Topic aliases a client may use towards us (0 disables them).
    public var topicAliasMaximum: UInt16
    public var useUsernameAsClientID: Bool

    public init(port: Int, security: ListenerSecurity, maximumQoS: QoS = .exactlyOnce, topicAliasMaximum: UInt16 = 10,
                useUsernameAsClientID: Bool = false) {
        self.port = port
        self.security = security
        self.maximumQoS = maximumQoS
        self.topicAliasMaximum = topicAliasMaximum
        self.useUsernameAsClientID = useUsernameAsClientID
    }
}
