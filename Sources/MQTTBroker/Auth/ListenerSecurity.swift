import MQTTCore
/// The authentication and access control one listener applies: its effective settings with
/// the password file and ACL file loaded. The broker builds one per listener (one shared
/// object when per_listener_settings is false gives the same answers).
///
/// CONNECT decisions, as mosquitto 2.0.11 makes them (each checked against the real broker):
/// - no user name: allowed only when `allow_anonymous` is true;
/// - a user name with a password file: the password must verify, whatever `allow_anonymous`
///   says (a wrong or missing password is refused even when anonymous clients are allowed);
/// - a user name without a password file: allowed when `allow_anonymous` is true, since there
///   is nothing to check it against.
/// Refusals are CONNACK 5 "not authorised" (3.1.1) or 0x87 "Not authorized" (5.0); that is
/// what mosquitto sends for a bad password (mosquitto_sub exits 5 and 135).
public struct ListenerSecurity: Sendable {
    public var settings: BrokerConfiguration.EffectiveSecurity
    public var passwords: PasswordFile?
    public var acl: ACL?

    public init(settings: BrokerConfiguration.EffectiveSecurity, passwords: PasswordFile? = nil, acl: ACL? = nil) {
        self.settings = settings
        self.passwords = passwords
        self.acl = acl
    }

    /// Loads the files `settings` names.
    public enum LoadError: Error, Sendable, CustomStringConvertible {
        case passwordFile(PasswordFileError)
        case aclFile(ACLError)

        public var description: String {
            switch self {
            case .passwordFile(let error): return "Error: \(error)"
            case .aclFile(let error): return "Error: \(error)"
            }
        }
    }

    public static func load(_ settings: BrokerConfiguration.EffectiveSecurity) throws(LoadError) -> ListenerSecurity {
        var security = ListenerSecurity(settings: settings)
        if let path = settings.passwordFile {
            do {
                security.passwords = try PasswordFile.load(path: path)
            } catch {
                throw .passwordFile(error)
            }
        }
        if let path = settings.aclFile {
            do {
                security.acl = try ACL.load(path: path)
            } catch {
                throw .aclFile(error)
            }
        }
        return security
    }

    /// Whether a CONNECT with these credentials is accepted. The password is MQTT binary data.
    public func authenticate(username: String?, password: [UInt8]?) -> Bool {
        guard let username else { return settings.allowAnonymous }
        guard let passwords else { return settings.allowAnonymous }
        guard let password else {
            _ = passwords.verify(username: username, password: [])
            return false
        }
        return passwords.verify(username: username, password: password)
    }

    /// After a reload: whether a client that `previous` admitted under `username` may stay connected. The
    /// password is not kept after CONNECT, so a user whose entry changed (removed, or a new password) must
    /// log in again; so must an anonymous client once anonymous clients are refused, and a named one
    /// admitted with no password file once a password file is set.
    public func stillAdmits(username: String?, admittedBy previous: ListenerSecurity) -> Bool {
        guard let username else { return settings.allowAnonymous }
        guard let passwords else { return settings.allowAnonymous }
        guard let entry = passwords.hash(for: username) else { return false }
        return previous.passwords?.hash(for: username) == entry
    }

    /// Without an acl_file every client may publish anything but `$SYS`: mosquitto 2.0.11
    /// refuses every client PUBLISH to `$SYS/...` whatever the ACL says (v5: PUBACK 0x87;
    /// 3.1.1: acknowledged and dropped), checked against the real broker. Other `$` topics
    /// are ordinary.
    public func canPublish(clientID: String, username: String?, topic: String) -> Bool {
        if topic == "$SYS" || topic.hasPrefix("$SYS/") {
            // $SYS is the broker's, but as in mosquitto a bridge may set its state there (and its will does).
            guard Topic.matches(filter: "$SYS/broker/connection/+/state", topic: topic) else { return false }
        }
        return acl?.canPublish(clientID: clientID, username: username, topic: topic) ?? true
    }

    public func canSubscribe(clientID: String, username: String?, filter: String) -> Bool {
        acl?.canSubscribe(clientID: clientID, username: username, filter: filter) ?? true
    }

    /// Asked for every message before it is delivered.
    public func canRead(clientID: String, username: String?, topic: String) -> Bool {
        acl?.canRead(clientID: clientID, username: username, topic: topic) ?? true
    }
}
