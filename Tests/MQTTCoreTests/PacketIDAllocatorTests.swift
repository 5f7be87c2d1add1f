import MQTTCore
import XCTest

final class PacketIDAllocatorTests: XCTestCase {
    func testStartsAtOneAndCounts() {
        var allocator = PacketIDAllocator()
        XCTAssertEqual(allocator.inUseCount, 0)
        XCTAssertFalse(allocator.isInUse(0))
        XCTAssertFalse(allocator.isInUse(1))
        XCTAssertEqual(allocator.next(), 1)
        XCTAssertEqual(allocator.next(), 2)
        XCTAssertEqual(allocator.next(), 3)
        XCTAssertEqual(allocator.inUseCount, 3)
        XCTAssertTrue(allocator.isInUse(2))
        XCTAssertFalse(allocator.isInUse(0))
    }

    func testReleasedIdIsNotReusedAtOnce() {
        var allocator = PacketIDAllocator()
        XCTAssertEqual(allocator.next(), 1)
        XCTAssertTrue(allocator.release(1))
        XCTAssertEqual(allocator.next(), 2)  // round-robin, not 1 again
        XCTAssertFalse(allocator.isInUse(1))
    }

    func testReleaseOfUnknownIdChangesNothing() {
        var allocator = PacketIDAllocator()
        XCTAssertFalse(allocator.release(7))  // nothing allocated yet
        _ = allocator.next()
        XCTAssertFalse(allocator.release(7))
        XCTAssertFalse(allocator.release(0))
        XCTAssertTrue(allocator.release(1))
        XCTAssertFalse(allocator.release(1))  // double release
        XCTAssertEqual(allocator.inUseCount, 0)
    }

    func testSkipsIdsInUse() {
        var allocator = PacketIDAllocator()
        XCTAssertTrue(allocator.markInUse(2))
        XCTAssertTrue(allocator.markInUse(3))
        XCTAssertTrue(allocator.markInUse(65))  // in the second bitset word
        XCTAssertFalse(allocator.markInUse(3))
        XCTAssertFalse(allocator.markInUse(0))
        XCTAssertEqual(allocator.inUseCount, 3)
        XCTAssertEqual(allocator.next(), 1)
        XCTAssertEqual(allocator.next(), 4)
        for expected in 5...64 { XCTAssertEqual(allocator.next(), UInt16(expected)) }
        XCTAssertEqual(allocator.next(), 66)
    }

    func testExhaustionAndRecovery() {
        var allocator = PacketIDAllocator()
        var seen = Set<UInt16>()
        for _ in 0..<65_535 {
            guard let id = allocator.next() else { return XCTFail("ran out early at \(seen.count)") }
            XCTAssertNotEqual(id, 0)
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 65_535)
        XCTAssertEqual(allocator.inUseCount, 65_535)
        XCTAssertNil(allocator.next())
        XCTAssertNil(allocator.next())

        XCTAssertTrue(allocator.release(12_345))
        XCTAssertEqual(allocator.next(), 12_345)
        XCTAssertNil(allocator.next())

        XCTAssertTrue(allocator.release(65_535))
        XCTAssertTrue(allocator.release(1))
        XCTAssertEqual(allocator.next(), 65_535)  // search starts after 12 345
        XCTAssertEqual(allocator.next(), 1)
        XCTAssertNil(allocator.next())
    }

    func testWrapsAroundAfter65535() {
        var allocator = PacketIDAllocator()
        for expected in 1...65_535 {
            let id = allocator.next()
            XCTAssertEqual(id, UInt16(expected))
            allocator.release(id!)
        }
        XCTAssertEqual(allocator.next(), 1)  // wrapped, skipping 0
        XCTAssertEqual(allocator.next(), 2)
    }

    func testWraparoundSkipsLongLivedIds() {
        var allocator = PacketIDAllocator()
        let stuck = allocator.next()!  // 1 stays in flight
        XCTAssertEqual(stuck, 1)
        for _ in 2...65_535 {
            allocator.release(allocator.next()!)
        }
        XCTAssertEqual(allocator.next(), 2)
        XCTAssertTrue(allocator.isInUse(1))
    }
}
