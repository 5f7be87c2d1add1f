/// What a reload (SIGHUP) takes from the configuration file read again, as mosquitto reloads it: the security
/// options (`password_file`, `acl_file`, `allow_anonymous`, `allow_zero_length_clientid`, `auto_id_prefix`)
/// and the TLS files and options of each listener. Everything else keeps the value the broker runs with;
/// each such option that changed is named, so the log can say it needs a restart.
///
/// Listeners are matched by position; one whose sockets changed (port, address, protocol, socket domain) or
/// that was added or removed is a change that needs a restart. So is turning TLS on or off on a listener,
/// or changing where its user names come from (`use_identity_as_username`, `use_subject_as_username`).
public struct ConfigurationReload: Sendable {
    /// The configuration to run with from now on: the running one with the reloadable options of the file.
    public let applied: BrokerConfiguration
    /// The mosquitto.conf names of the options that changed but keep their old value until a restart.
    public let needsRestart: [String]

    public init(running: BrokerConfiguration, reread: BrokerConfiguration) {
        var applied = running
        // Which security settings apply to which listener depends on these two; with them changed, only the
        // files are read again.
        let sameSecurityLayout = running.perListenerSettings == reread.perListenerSettings
            && running.isLocalOnly == reread.isLocalOnly
        if sameSecurityLayout { applied.security = reread.security }
        for index in running.listeners.indices where reread.listeners.indices.contains(index) {
            let old = running.listeners[index], new = reread.listeners[index]
            guard Self.sameSockets(old, new) else { continue }
            if sameSecurityLayout {
                applied.listeners[index].security = new.security
                applied.listeners[index].securityOptions = new.securityOptions
            }
            // Error messages name the listener where the file has it now.
            applied.listeners[index].definedAt = new.definedAt
            if old.tls.isEnabled == new.tls.isEnabled {
                var tls = new.tls
                tls.useIdentityAsUsername = old.tls.useIdentityAsUsername
                tls.useSubjectAsUsername = old.tls.useSubjectAsUsername
                applied.listeners[index].tls = tls
            }
        }
        // Bridges are reloaded whole: a changed block restarts that bridge (`BridgeSet.reconcile`).
        applied.bridges = reread.bridges
        self.applied = applied
        needsRestart = Self.changedOptions(applied, reread)
    }

    static func sameSockets(_ lhs: BrokerConfiguration.Listener, _ rhs: BrokerConfiguration.Listener) -> Bool {
        lhs.port == rhs.port && lhs.bindAddress == rhs.bindAddress && lhs.transport == rhs.transport
            && lhs.socketDomain == rhs.socketDomain && lhs.isDefault == rhs.isDefault
    }

    // MARK: Naming what changed

    /// Compared field by field through reflection, so an option added to `BrokerConfiguration` later is
    /// reported too without a list here to keep up to date.
    static func changedOptions(_ applied: BrokerConfiguration, _ reread: BrokerConfiguration) -> [String] {
        var changed: [String] = []
        for (label, old, new) in pairedFields(applied, reread) where !ignored.contains(label) {
            if label == "listeners" { continue }
            changed += differences(label, old, new)
        }
        for index in 0..<max(applied.listeners.count, reread.listeners.count) {
            guard applied.listeners.indices.contains(index), reread.listeners.indices.contains(index) else {
                changed.append("listener (one added or removed)")
                continue
            }
            let old = applied.listeners[index], new = reread.listeners[index]
            let name = old.configurationReference
            guard sameSockets(old, new) else {
                changed.append("listener (\(name) now \(new.configurationReference))")
                continue
            }
            for (label, oldValue, newValue) in pairedFields(old, new) where !ignored.contains(label) {
                changed += differences(label, oldValue, newValue).map { "\($0) (\(name))" }
            }
        }
        return changed
    }

    /// Not options, or derived from others already compared.
    private static let ignored: Set<String> = ["warnings", "definedFile", "definedLine", "isDefault", "securityOptions"]

    private static func differences(_ label: String, _ old: Any, _ new: Any) -> [String] {
        if same(old, new) { return [] }
        let fields = pairedFields(old, new)
        if Mirror(reflecting: old).displayStyle == .struct, !fields.isEmpty {
            return fields.flatMap { differences($0.label, $0.old, $0.new) }
        }
        return [optionName(label)]
    }

    private static func pairedFields(_ old: Any, _ new: Any) -> [(label: String, old: Any, new: Any)] {
        let newFields = Dictionary(Mirror(reflecting: new).children.compactMap { child in child.label.map { ($0, child.value) } },
                                   uniquingKeysWith: { first, _ in first })
        return Mirror(reflecting: old).children.compactMap { child in
            guard let label = child.label, let newValue = newFields[label] else { return nil }
            return (label, child.value, newValue)
        }
    }

    private static func same(_ old: Any, _ new: Any) -> Bool {
        guard let old = old as? any Equatable else { return String(describing: old) == String(describing: new) }
        return isEqual(old, new)
    }

    private static func isEqual<T: Equatable>(_ old: T, _ new: Any) -> Bool {
        (new as? T) == old
    }

    /// The mosquitto.conf name of a field: mostly its name in snake case.
    static func optionName(_ label: String) -> String {
        if let name = optionNames[label] { return name }
        var name = ""
        for character in label {
            if character.isUppercase {
                name += "_" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }

    private static let optionNames: [String: String] = [
        "logDestinations": "log_dest", "logTypes": "log_type", "queueQoS0Messages": "queue_qos0_messages",
        "upgradeOutgoingQoS": "upgrade_outgoing_qos", "setTCPNoDelay": "set_tcp_nodelay", "maxQoS": "max_qos",
        "transport": "protocol", "useUsernameAsClientID": "use_username_as_clientid",
        "allowZeroLengthClientID": "allow_zero_length_clientid", "pskFile": "psk_file",
        "autoIDPrefix": "auto_id_prefix", "isLocalOnly": "listener (local only mode)",
    ]
}
