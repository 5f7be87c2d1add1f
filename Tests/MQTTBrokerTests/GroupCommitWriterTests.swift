import Foundation
@testable import MQTTBroker
import XCTest

/// The writer thread without SQLite: batching, callback order, retries after a failed commit.
final class GroupCommitWriterTests: XCTestCase {
    private struct DiskFull: Error {}

    /// Commits that fail are retried with everything still in order; callbacks wait for success.
    func testFailedCommitIsRetriedAndLosesNothing() {
        let commits = LockedArray<[Int]>()
        let failuresLeft = LockedArray<Int>()
        let reported = LockedArray<String>()
        let writer = GroupCommitWriter<Int>(
            name: "test-writer", retryPauses: [0.01],
            commit: { batch in
                commits.append(batch)
                if failuresLeft.values.count < 2 {
                    failuresLeft.append(1)
                    throw DiskFull()
                }
            },
            reportFailure: { reported.append("\($0)") })
        let durable = expectation(description: "durable after the retries")
        writer.record(1)
        writer.record(2)
        writer.whenDurable { durable.fulfill() }
        wait(for: [durable], timeout: 5)
        writer.close()
        XCTAssertEqual(reported.values.count, 2)
        // The last (successful) commit holds both changes, in order.
        XCTAssertEqual(commits.values.last, [1, 2])
        XCTAssertTrue(commits.values.allSatisfy { Array($0.prefix(2)) == [1, 2] }, "\(commits.values)")
    }

    /// Changes recorded while a commit runs go into the next commit together.
    func testChangesArrivingDuringACommitShareTheNextOne() {
        let gate = DispatchSemaphore(value: 0)
        let commits = LockedArray<[Int]>()
        let writer = gatedWriter(commits: commits, gate: gate, blocking: { $0 == [0] })
        let order = LockedArray<Int>()
        let all = expectation(description: "callbacks")
        all.expectedFulfillmentCount = 101
        writer.record(0)
        writer.whenDurable { order.append(0); all.fulfill() }
        // Let the writer start committing [0] and block there.
        while commits.values.isEmpty { Thread.sleep(forTimeInterval: 0.001) }
        for value in 1...100 {
            writer.record(value)
            writer.whenDurable { order.append(value); all.fulfill() }
        }
        gate.signal()
        wait(for: [all], timeout: 5)
        writer.close()
        XCTAssertEqual(commits.values, [[0], Array(1...100)])
        XCTAssertEqual(order.values, Array(0...100))
    }

    /// A callback with nothing new to commit waits for the commit in progress, then runs.
    func testCallbackWithNothingPendingWaitsForTheRunningCommit() {
        let gate = DispatchSemaphore(value: 0)
        let commits = LockedArray<[Int]>()
        let writer = gatedWriter(commits: commits, gate: gate, blocking: { _ in true })
        writer.record(1)
        while commits.values.isEmpty { Thread.sleep(forTimeInterval: 0.001) }
        let fired = LockedArray<Bool>()
        let done = expectation(description: "callback after the commit")
        writer.whenDurable { fired.append(true); done.fulfill() }
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertTrue(fired.values.isEmpty, "ran while the commit of 1 was still going on")
        gate.signal()
        wait(for: [done], timeout: 5)
        writer.close()
        XCTAssertEqual(commits.values, [[1]], "no empty transaction for it")
    }

    /// close() commits what is still buffered before it returns.
    func testCloseCommitsTheBuffer() {
        let commits = LockedArray<[Int]>()
        let writer = GroupCommitWriter<Int>(name: "test-writer", commit: { commits.append($0) }, reportFailure: { _ in })
        writer.record(contentsOf: [1, 2, 3])
        writer.close()
        XCTAssertEqual(commits.values.flatMap { $0 }, [1, 2, 3])
    }

    /// close() from a callback (the writer thread) does not wait for itself; the batch in hand
    /// still counts as committed and later callbacks are dropped.
    func testCloseFromACallbackDoesNotDeadlock() {
        let commits = LockedArray<[Int]>()
        let writer = GroupCommitWriter<Int>(name: "test-writer", commit: { commits.append($0) }, reportFailure: { _ in })
        let closed = expectation(description: "close returned on the writer thread")
        writer.record(1)
        writer.whenDurable {
            XCTAssertFalse(writer.close())
            closed.fulfill()
        }
        wait(for: [closed], timeout: 5)
        XCTAssertTrue(writer.close(), "the thread stops")
        XCTAssertEqual(commits.values, [[1]])
    }

    /// A commit that keeps failing does not hang close(): one more try, then give up.
    func testCloseGivesUpOnACommitThatKeepsFailing() {
        let attempts = LockedArray<Int>()
        let writer = GroupCommitWriter<Int>(
            name: "test-writer", retryPauses: [30],
            commit: { attempts.append($0.count); throw DiskFull() },
            reportFailure: { _ in })
        writer.record(1)
        while attempts.values.isEmpty { Thread.sleep(forTimeInterval: 0.001) }
        let started = Date()
        writer.close()
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "close did not wait out the 30 s pause")
        XCTAssertEqual(attempts.values, [1, 1])
    }

    /// With patience, a batch nobody urgently waits for stays open, so that what is recorded meanwhile (the removal
    /// of a message a subscriber acknowledged) joins it; an urgent callback ends the wait at once.
    func testAPatientBatchWaitsUntilSomethingUrgentComes() {
        let commits = LockedArray<[Int]>()
        let writer = GroupCommitWriter<Int>(name: "test-writer", patience: 60, commit: { commits.append($0) },
                                            reportFailure: { _ in })
        let done = expectation(description: "both callbacks ran")
        done.expectedFulfillmentCount = 2
        writer.record(1)
        writer.whenDurable(urgent: false) { done.fulfill() }
        writer.record(2)
        writer.whenDurable(urgent: true) { done.fulfill() }
        wait(for: [done], timeout: 10)
        writer.close()
        XCTAssertEqual(commits.values, [[1, 2]], "one batch: the patient one waited for the rest")
    }

    /// Patience never holds back `close`: what is buffered is committed and the thread stops.
    func testCloseEndsThePatience() {
        let commits = LockedArray<[Int]>()
        let writer = GroupCommitWriter<Int>(name: "test-writer", patience: 60, commit: { commits.append($0) },
                                            reportFailure: { _ in })
        writer.record(1)
        writer.whenDurable(urgent: false) {}
        XCTAssertTrue(writer.close())
        XCTAssertEqual(commits.values, [[1]])
    }

    /// A writer that records each batch it commits and then, for the batches `blocking` picks, waits for `gate`:
    /// what a test does meanwhile meets a commit in progress.
    private func gatedWriter(commits: LockedArray<[Int]>, gate: DispatchSemaphore,
                             blocking: @escaping @Sendable ([Int]) -> Bool) -> GroupCommitWriter<Int> {
        GroupCommitWriter<Int>(
            name: "test-writer",
            commit: { batch in
                commits.append(batch)
                if blocking(batch) { gate.wait() }
            },
            reportFailure: { _ in })
    }
}
