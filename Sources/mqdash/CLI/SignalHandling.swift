import Dispatch
import Foundation

/// Ctrl-C and SIGTERM end the tools cleanly: DISCONNECT is sent, so the broker does not publish the will.
/// SIGHUP makes `mqdash broker` reload.
enum SignalHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func onInterrupt(_ action: @escaping @Sendable () async -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                Task {
                    await action()
                    Foundation.exit(0)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// SIGHUP runs `action` (the broker reloads its files), one at a time on a queue of its own, so a reload
    /// never waits behind the main queue nor overlaps the next.
    static func onHangUp(_ action: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "mqdash.reload"))
        source.setEventHandler { action() }
        source.resume()
        sources.append(source)
    }
}
