import Dispatch
import Foundation

/// Ctrl-C and SIGTERM end the tools cleanly: DISCONNECT is sent, so the broker does not publish the will.
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
}
