import DashboardApp
import Dispatch
import Glibc
import XCTest

final class ProcessSignalTests: XCTestCase {
    /// A signal raised the moment `handle` returns reaches the handler. Dispatch registers a source
    /// asynchronously, so without the wait some of these would be ignored (the default action is off by
    /// then). Each round uses a signal not handled before, because only a first registration races; the
    /// real-time signals give twenty that nothing else here uses.
    func testASignalRightAfterHandleReturnsIsNeverLost() {
        let queue = DispatchQueue(label: "test.signals")
        var sources: [any DispatchSourceSignal] = []
        let first = __libc_current_sigrtmin() + 4
        for signalNumber in first..<(first + 20) {
            let received = DispatchSemaphore(value: 0)
            sources.append(ProcessSignal.handle(signalNumber, on: queue) { received.signal() })
            raise(signalNumber)
            XCTAssertEqual(received.wait(timeout: .now() + 5), .success, "signal \(signalNumber) was lost")
        }
        XCTAssertEqual(sources.count, 20)
    }
}
