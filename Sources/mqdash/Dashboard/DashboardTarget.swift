import Dashboard
import Foundation
import MQTTClient
import MQTTCore
import Profiles

/// The broker the dashboard watches and what it subscribes to there: worked out once at start from the
/// flags and the profile, and again for each `c` switch from the chosen profile alone.
struct DashboardTarget {
    var configuration: MQTTClientConfiguration
    var version: MQTTVersion
    var subscriptions: [Dashboard.Subscription]
    /// No -V (nor -D, which means v5 anyway) and no protocol version in the profile: MQTT 5, so that
    /// retain-as-published keeps the retained markers right; a broker that refuses it gets 3.1.1
    /// (see DashboardConnection.refusesV5).
    var fallsBackTo311: Bool

    /// `topics` (-t) win over the profile's subscriptions, each of which may carry its own QoS; `#` when
    /// neither names any.
    init(connection: ConnectionOptions, profile: ConnectionProfile?, topics: [String] = [], qos: UInt8? = nil) throws {
        var connection = connection
        fallsBackTo311 = connection.protocolVersion == nil && connection.propertyArguments.isEmpty
        if fallsBackTo311 { connection.protocolVersion = "5" }
        version = try connection.version()
        let properties = try V5PropertyArguments(parsing: connection.propertyArguments, version: version)
        var urlTopic: String?
        configuration = try connection.clientConfiguration(properties: properties, urlTopic: &urlTopic)
        let qos = qos ?? profile?.qos.map(UInt8.init) ?? 0
        var subscriptions = topics.map { Dashboard.Subscription(filter: $0, qos: QoS(rawValue: qos)!) }
        if topics.isEmpty, let profile {
            subscriptions = profile.subscriptions.map {
                Dashboard.Subscription(filter: $0.filter, qos: QoS(rawValue: $0.qos.map(UInt8.init) ?? qos)!)
            }
        }
        if let urlTopic { subscriptions.append(Dashboard.Subscription(filter: urlTopic, qos: QoS(rawValue: qos)!)) }
        if subscriptions.isEmpty { subscriptions = [Dashboard.Subscription(filter: "#", qos: QoS(rawValue: qos)!)] }
        self.subscriptions = subscriptions
    }

    /// `c`: the profile named `name` of `config`, as `mqdash --profile NAME` would connect (its password
    /// command runs here: call it off the UI thread).
    static func forSwitch(to name: String, config: ProfileConfig, environment: [String: String]) throws -> DashboardTarget {
        let options = try ConnectionOptions.parse(["--profile", name])
        let (connection, profile) = try options.applyingProfile(
            from: config, allowDefault: false, passwords: PasswordResolver(environment: environment))
        return try DashboardTarget(connection: connection, profile: profile)
    }

    /// What `c` lists: each profile with its broker and user (never a password).
    static func choices(_ config: ProfileConfig?) -> [ConnectionChoice] {
        (config?.profiles ?? []).map { ConnectionChoice(name: $0.name, address: $0.displayURL, user: $0.user) }
    }
}

/// The profiles file as `c` offers it: read once at start, where an error in it does not stop the
/// dashboard (it was started without needing the file) but is said when `c` is pressed.
struct PickerProfiles {
    var config: ProfileConfig?
    var problem: String?

    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> PickerProfiles {
        guard let path = ConfigPaths.profilesFile(environment: environment) else { return PickerProfiles() }
        do { return PickerProfiles(config: try ProfileConfig.load(path: path)) } catch {
            return PickerProfiles(problem: error.description)
        }
    }
}
