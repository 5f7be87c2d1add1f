import Dispatch
import Foundation

/// Ctrl-C and SIGTERM end the tools cleanly: DISCONNECT is sent, so the broker does not publish the will.
/// SIGHUP makes `mqdash broker` reload.
enum SignalHandling {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Returns once the handlers are in place: between `SIG_IGN` and the source's registration (done
    /// asynchronously by Dispatch) a signal would be ignored and lost, so this waits for the registration.
    static func onInterrupt(_ action: @escaping @Sendable () async -> Void) {
        let queue = DispatchQueue(label: "mqdash.interrupt")
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                Task {
                    await action()
                    Foundation.exit(0)
                }
            }
            let registered = DispatchSemaphore(value: 0)
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            registered.wait()
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
