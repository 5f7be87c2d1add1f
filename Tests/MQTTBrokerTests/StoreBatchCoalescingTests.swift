import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

final class StoreBatchCoalescingTests: XCTestCase {
    private let message = StoredMessage(topic: "t", payload: ByteBuffer(string: "x"), qos: .atLeastOnce, retain: false)

    func testAMessageAcknowledgedWithinTheBatchNeverReachesTheDisk() {
        let batch: [StoreChange] = [
            .enqueue(clientID: "c", sequence: 1, message), .markSent(clientID: "c", sequence: 1, packetID: 9),
            .enqueue(clientID: "c", sequence: 2, message), .markSent(clientID: "c", sequence: 2, packetID: 10),
            .markReleased(clientID: "c", sequence: 1), .removeOutgoing(clientID: "c", sequence: 1),
        ]
        XCTAssertEqual(StoreBatchCoalescing.coalesced(batch), [
            .enqueue(clientID: "c", sequence: 2, message), .markSent(clientID: "c", sequence: 2, packetID: 10),
        ])
    }

    func testARemovalOfSomethingCommittedEarlierStays() {
        let batch: [StoreChange] = [.removeOutgoing(clientID: "c", sequence: 1), .markSent(clientID: "c", sequence: 3, packetID: 1)]
        XCTAssertEqual(StoreBatchCoalescing.coalesced(batch), batch)
    }

    func testAReleasedQoS2IDGoesButTheSameIDAwaitedAgainStays() {
        let batch: [StoreChange] = [
            .awaitRelease(clientID: "p", packetID: 5), .releaseArrived(clientID: "p", packetID: 5),
            .awaitRelease(clientID: "p", packetID: 5),
            .releaseArrived(clientID: "q", packetID: 7),
        ]
        XCTAssertEqual(StoreBatchCoalescing.coalesced(batch), [
            .awaitRelease(clientID: "p", packetID: 5), .releaseArrived(clientID: "q", packetID: 7),
        ])
    }

    func testOtherChangesKeepTheirOrder() {
        let batch: [StoreChange] = [
            .putSession(clientID: "c", expiryInterval: 60), .enqueue(clientID: "c", sequence: 4, message),
            .setRetained(message), .removeOutgoing(clientID: "c", sequence: 4), .deleteSession(clientID: "d"),
        ]
        XCTAssertEqual(StoreBatchCoalescing.coalesced(batch), [
            .putSession(clientID: "c", expiryInterval: 60), .setRetained(message), .deleteSession(clientID: "d"),
        ])
    }
}

final class StoreSendFoldingTests: XCTestCase {
    func testASendIsFoldedIntoTheEnqueueBeforeItButNotIntoOneCommittedEarlier() {
        let message = StoredMessage(topic: "t", payload: ByteBuffer(string: "x"), qos: .atLeastOnce, retain: false)
        let batch: [StoreChange] = [
            .enqueue(clientID: "c", sequence: 1, message), .markSent(clientID: "c", sequence: 1, packetID: 9),
            .markSent(clientID: "c", sequence: 7, packetID: 3),
        ]
        let (changes, packetIDs) = StoreBatchCoalescing.foldingSendsIntoEnqueues(batch)
        XCTAssertEqual(changes, [.enqueue(clientID: "c", sequence: 1, message), .markSent(clientID: "c", sequence: 7, packetID: 3)])
        XCTAssertEqual(packetIDs, [StoreBatchCoalescing.OutgoingKey(clientID: "c", sequence: 1): 9])
    }
}
