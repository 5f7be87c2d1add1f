import MQTTCore

/// What a connection needs to know about the listener that accepted it.
public struct ListenerContext: Sendable {
    /// The listener's place in `BrokerConfiguration.listeners`: how a reload finds its new security.
    public var index: Int
    public var port: Int
    public var security: ListenerSecurity
    public var maximumQoS: QoS
    /// Topic aliases a client may use towards us (0 disables them).
    public var topicAliasMaximum: UInt16
    public var useUsernameAsClientID: Bool
    /// `mount_point`: the prefix under which this listener's clients live, invisible to them. Their
    /// topics, filters and wills are prefixed on the way in (so the ACL sees the full topic) and the
    /// prefix is taken off on the way out, which keeps tenants of different listeners apart.
    public var mountPoint: String
    /// `use_identity_as_username` / `use_subject_as_username`: the user name comes from the client certificate.
    public var usernameFromCertificate: CertificateUsername?
    /// The in-process connections of bridges (`connection` blocks): configured by the file, not by a client.
    public var isBridge = false

    public init(index: Int = 0, port: Int, security: ListenerSecurity, maximumQoS: QoS = .exactlyOnce, topicAliasMaximum: UInt16 = 10,
                useUsernameAsClientID: Bool = false, mountPoint: String = "", usernameFromCertificate: CertificateUsername? = nil) {
        self.index = index
        self.port = port
        self.security = security
        self.maximumQoS = maximumQoS
        self.topicAliasMaximum = topicAliasMaximum
        self.useUsernameAsClientID = useUsernameAsClientID
        self.mountPoint = mountPoint
        self.usernameFromCertificate = usernameFromCertificate
    }

    func mounted(_ topic: String) -> String {
        mountPoint.isEmpty ? topic : mountPoint + topic
    }

    /// A shared subscription keeps its `$share/group/` in front: the prefix goes on the filter itself.
    func mountedFilter(_ filter: String) -> String {
        guard !mountPoint.isEmpty else { return filter }
        guard filter.hasPrefix("$share/"), let groupEnd = filter.dropFirst(7).firstIndex(of: "/") else { return mountPoint + filter }
        let rest = filter.index(after: groupEnd)
        return String(filter[..<rest]) + mountPoint + String(filter[rest...])
    }

    func unmounted(_ topic: String) -> String {
        guard !mountPoint.isEmpty, topic.hasPrefix(mountPoint) else { return topic }
        return String(topic.dropFirst(mountPoint.count))
    }
}
