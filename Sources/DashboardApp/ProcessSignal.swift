import Dispatch
import Glibc

/// A signal handled on a dispatch queue, for the tools' Ctrl-C/SIGTERM/SIGHUP and the dashboard's
/// terminal restore.
public enum ProcessSignal {
    /// Runs `handler` on `queue` for every `signalNumber`, and returns once that is in place. Dispatch
    /// registers a signal source asynchronously, and the default action must be ignored first so the
    /// signal does not kill the process: a signal arriving in between would be ignored and lost (a SIGTERM
    /// right after start left the broker running), so this waits for the registration.
    /// Keep the returned source: it stops handling when released or cancelled.
    public static func handle(
        _ signalNumber: Int32, on queue: DispatchQueue, _ handler: @escaping @Sendable () -> Void
    ) -> any DispatchSourceSignal {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
        source.setEventHandler(handler: handler)
        let registered = DispatchSemaphore(value: 0)
        source.setRegistrationHandler { registered.signal() }
        source.resume()
        registered.wait()
        return source
    }
}
