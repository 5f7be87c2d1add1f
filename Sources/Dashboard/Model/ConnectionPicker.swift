/// A profile the connection picker (`c`) offers, as the app read it from the profiles file.
public struct ConnectionChoice: Sendable, Equatable {
    public var name: String
    /// host:port or the URL, without a password.
    public var address: String
    public var user: String?

    public init(name: String, address: String, user: String? = nil) {
        self.name = name
        self.address = address
        self.user = user
    }
}

/// `c`: the profiles to switch to, one of them highlighted.
public struct ConnectionPicker: Sendable, Equatable {
    public var choices: [ConnectionChoice]
    public var selected = 0

    public init(choices: [ConnectionChoice], selected: Int = 0) {
        self.choices = choices
        self.selected = selected
    }
}

/// The broker the dashboard now watches, sent by the app once the old connection is closed and before
/// the new one delivers anything: the UI empties its tree and log at this point.
public struct SwitchedConnection: Sendable, Equatable {
    public var profile: String
    /// What the status bar names.
    public var brokerURL: String
    public var clientID: String
    public var isV5: Bool
    public var subscriptions: [Subscription]

    public init(profile: String, brokerURL: String, clientID: String, isV5: Bool, subscriptions: [Subscription]) {
        self.profile = profile
        self.brokerURL = brokerURL
        self.clientID = clientID
        self.isV5 = isV5
        self.subscriptions = subscriptions
    }
}

/// The app's answer to `.switchConnection`: switched, or why not (a failing password command, a profile
/// that cannot connect as written). On failure the old connection goes on.
public enum ConnectionSwitchOutcome: Sendable, Equatable {
    case switched(SwitchedConnection)
    case failed(profile: String, reason: String)
}
