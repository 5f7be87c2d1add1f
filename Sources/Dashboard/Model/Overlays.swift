import MQTTCore

/// Which pane takes the keys when no overlay is open; Tab cycles through them.
public enum PaneFocus: String, Sendable, CaseIterable {
    case tree, log, detail
}

/// A one-line text prompt on the status row.
public struct Prompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// `/`: a substring or an MQTT filter to find topics.
        case search
        /// `f`: the message log's topic filter.
        case logFilter
        /// `F`: the JSON field the detail plot follows.
        case plotField
        /// `R`: the file to record to.
        case recordFile
    }

    public var purpose: Purpose
    public var text: String

    public var label: String {
        switch purpose {
        case .search: "/"
        case .logFilter: "log filter: "
        case .plotField: "plot field: "
        case .recordFile: "record to (.gz compresses): "
        }
    }
}

/// A subscription the dashboard holds.
public struct Subscription: Sendable, Equatable {
    public var filter: String
    public var qos: QoS

    public init(filter: String, qos: QoS = .atMostOnce) {
        self.filter = filter
        self.qos = qos
    }
}

/// `S`: the list of subscriptions, with a line to add one.
public struct SubscriptionEditor: Sendable, Equatable {
    /// Row selected in the list.
    public var selected = 0
    /// The filter being typed, when adding.
    public var newFilter: String?
    public var newQoS = QoS.atMostOnce
    public var error: String?
}

/// A question that needs y or n before its commands run.
public struct Confirmation: Sendable, Equatable {
    public var question: String
    public var commands: [DashboardCommand]
    /// The status line once confirmed.
    public var notice: String
}
