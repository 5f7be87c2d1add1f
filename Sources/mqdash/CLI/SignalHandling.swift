import DashboardApp
import Dispatch
import Foundation

/// Ctrl-C and SIGTERM end the tools cleanly: DISCONNECT is sent, so the broker does not publish the will.
/// SIGHUP makes `mqdash broker` reload.
enum SignalHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Returns once the handlers are in place (see `ProcessSignal`), so a signal right after start is not lost.
    static func onInterrupt(_ action: @escaping @Sendable () async -> Void) {
        let queue = DispatchQueue(label: "mqdash.interrupt")
        for signalNumber in [SIGINT, SIGTERM] {
            sources.append(ProcessSignal.handle(signalNumber, on: queue) {
                Task {
                    await action()
                    Foundation.exit(0)
                }
            })
        }
    }

    /// SIGHUP runs `action` (the broker reloads its files), one at a time on a queue of its own, so a reload
    /// never waits behind the main queue nor overlaps the next.
    static func onHangUp(_ action: @escaping @Sendable () -> Void) {
        sources.append(ProcessSignal.handle(SIGHUP, on: DispatchQueue(label: "mqdash.reload"), action))
    }
}
