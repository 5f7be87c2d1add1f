import Dashboard
import DashboardApp
import Foundation
import Profiles
import Synchronization

/// `c`: the dashboard's broker connection, which the picker can replace. The other commands go to the
/// current connection; a switch resolves the profile off the UI thread (a password command may take
/// seconds), closes the old connection, tells the UI (which starts a fresh tree) and only then starts the
/// new one, so nothing of the old broker reaches the new tree. Switches run one after the other.
final class ConnectionSwitcher: Sendable {
    /// The connection the commands go to, and whether the app is quitting (then no switch connects).
    private let current: Mutex<(connection: DashboardConnection, stopping: Bool)>
    /// The last switch asked for: the next one waits for it.
    private let lastSwitch = Mutex<Task<Void, Never>?>(nil)
    private let queue: EventQueue
    private let config: ProfileConfig?
    private let environment: [String: String]
    private let maximumStoredPayload: Int
    private let recorder: DashboardRecorder?

    init(first: DashboardConnection, config: ProfileConfig?, environment: [String: String], queue: EventQueue,
         maximumStoredPayload: Int, recorder: DashboardRecorder?) {
        current = Mutex((first, false))
        self.config = config
        self.environment = environment
        self.queue = queue
        self.maximumStoredPayload = maximumStoredPayload
        self.recorder = recorder
    }

    func start() {
        let connection = current.withLock { $0.connection }
        Task.detached { await connection.run() }
    }

    /// Called on the UI thread with each command for the broker.
    func perform(_ command: DashboardCommand) {
        guard case .switchConnection(let name) = command else { return current.withLock { $0.connection }.perform(command) }
        lastSwitch.withLock { last in
            let previous = last
            last = Task.detached { [self] in
                await previous?.value
                await switchTo(name)
            }
        }
    }

    private func switchTo(_ name: String) async {
        guard let config else { return queue.push(.connectionSwitch(.failed(profile: name, reason: "no profiles file"))) }
        let target: DashboardTarget
        do {
            target = try await Self.resolve(name, config: config, environment: environment)
        } catch {
            return queue.push(.connectionSwitch(.failed(profile: name, reason: Self.describe(error))))
        }
        let next = DashboardConnection(
            configuration: target.configuration, subscriptions: target.subscriptions, queue: queue,
            maximumStoredPayload: maximumStoredPayload, recorder: recorder, fallsBackTo311: target.fallsBackTo311)
        // Checked and swapped in one step: once `stop` has run, no switch connects anywhere.
        let old = current.withLock { current -> DashboardConnection? in
            if current.stopping { return nil }
            defer { current.connection = next }
            return current.connection
        }
        guard let old else { return }
        await old.stop(closingOutlet: true)
        recorder?.retarget(brokerURL: target.configuration.brokerURL, filters: target.subscriptions.map(\.filter))
        queue.push(.connectionSwitch(.switched(SwitchedConnection(
            profile: name, brokerURL: name + ": " + target.configuration.brokerURL, clientID: target.configuration.clientID,
            isV5: target.version == .v5, subscriptions: target.subscriptions))))
        Task.detached { await next.run() }
    }

    /// The app quits at once: a switch under way (its password command may still run) ends without connecting.
    func stop() async {
        let connection = current.withLock { current in
            current.stopping = true
            return current.connection
        }
        await connection.stop()
    }

    /// On a thread of its own: a password command blocks while it runs (up to its timeout), which must hold
    /// up neither the UI nor the tasks of the cooperative pool.
    private static func resolve(_ name: String, config: ProfileConfig, environment: [String: String]) async throws -> DashboardTarget {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try DashboardTarget.forSwitch(to: name, config: config, environment: environment) })
            }
        }
    }

    /// One line: ExitWithMessage's text without its "Error: ", a parse error as ArgumentParser says it.
    private static func describe(_ error: any Error) -> String {
        if let exit = error as? ExitWithMessage, let message = exit.message {
            return message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
        }
        return "\(error)"
    }
}
