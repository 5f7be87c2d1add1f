@testable import MQTTBroker
import MQTTCore
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import XCTest

/// What a connection may hold and for how long before its CONNECT is in: `ConnectPacketGuard`,
/// `PreConnectByteCap`, `ConnectDeadline` and the budget they share, on embedded channels.
final class PreConnectGuardTests: XCTestCase {
    private let logLines = NIOLockedValueBox<[String]>([])

    private func limits(budget: Int = 64 << 20, maximumPacketSize: Int = maximumVariableByteInteger + 5,
                        timeout: TimeAmount = .seconds(10)) -> PreConnectLimits {
        let lines = logLines
        return PreConnectLimits(budget: ConnectingBytesBudget(limit: budget), timeout: timeout,
                                maximumPacketSize: maximumPacketSize, log: { line in lines.withLockedValue { $0.append(line) } })
    }

    /// An active channel: [events recorder, `handlers`...]; inbound bytes that pass come out at the end.
    private func channel(_ handlers: [any ChannelHandler], loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws
        -> (EmbeddedChannel, OutboundEventRecorder) {
        let recorder = OutboundEventRecorder()
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.pipeline.syncOperations.addHandlers(handlers)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50312)).wait()
        return (channel, recorder)
    }

    private func bytes(_ values: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: values) }

    private func connectBytes(clientID: String = "guarded") throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try MQTTPacket.connect(ConnectPacket(version: .v3_1_1, clientID: clientID)).write(into: &buffer, version: .v3_1_1)
        return buffer
    }

    private func passedBytes(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var all: [UInt8] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { all += buffer.readableBytesView }
        return all
    }

    // MARK: ConnectPacketGuard

    func testAFirstByteOtherThanConnectClosesAtOnce() throws {
        for first: UInt8 in [0x30, 0x82, 0xC0, 0x11, 0x00] {
            let limits = limits()
            let (channel, _) = try channel([ConnectPacketGuard(limits: limits)])
            try channel.writeInbound(bytes([first]))
            XCTAssertFalse(channel.isActive, "first byte 0x\(String(first, radix: 16))")
            XCTAssertEqual(try passedBytes(channel), [], "nothing reaches the decoder")
            XCTAssertEqual(limits.budget.reserved, 0)
        }
        XCTAssertTrue(logLines.withLockedValue { $0[0] }.contains("127.0.0.1:50312 sent PUBLISH (first byte 0x30) before CONNECT"),
                      "\(logLines.withLockedValue { $0 })")
    }

    func testAConnectDeclaredLargerThanTheBudgetClosesBeforeItsBody() throws {
        let limits = limits(budget: 1_000)
        let (channel, _) = try channel([ConnectPacketGuard(limits: limits)])
        try channel.writeInbound(bytes([0x10, 0xD0]))      // 0x50 + continuation: the length goes on
        XCTAssertTrue(channel.isActive)
        try channel.writeInbound(bytes([0x0F]))            // 0x50 + 15 * 128 = 2000
        XCTAssertFalse(channel.isActive)
        XCTAssertEqual(limits.budget.reserved, 0)
        XCTAssertTrue(logLines.withLockedValue { $0.last ?? "" }.contains("max_connecting_bytes 1000"))
    }

    func testAConnectAboveMaxPacketSizeOrTheConnectCapCloses() throws {
        let small = limits(maximumPacketSize: 100)
        let (first, _) = try channel([ConnectPacketGuard(limits: small)])
        try first.writeInbound(bytes([0x10, 0x63]))         // 2 + 99 = 101 bytes
        XCTAssertFalse(first.isActive)
        XCTAssertTrue(logLines.withLockedValue { $0.last ?? "" }.contains("above max_packet_size (100 bytes)"))

        let large = limits()
        let (second, _) = try channel([ConnectPacketGuard(limits: large)])
        XCTAssertEqual(PreConnectLimits.maximumConnectSize, 0x40 << 14)
        try second.writeInbound(bytes([0x10, 0x80, 0x80, 0x40]))  // 1 MiB of body, plus the header
        XCTAssertFalse(second.isActive)
        XCTAssertEqual(large.budget.reserved, 0)
    }

    func testAMalformedRemainingLengthCloses() throws {
        let (channel, _) = try channel([ConnectPacketGuard(limits: limits())])
        try channel.writeInbound(bytes([0x10, 0xFF, 0xFF, 0xFF, 0xFF]))
        XCTAssertFalse(channel.isActive)
    }

    func testTheReservationIsHeldUntilTheConnectHasPassedThenTheGuardLeaves() throws {
        let limits = limits()
        let (channel, recorder) = try channel([ConnectPacketGuard(limits: limits)])
        let connect = try connectBytes()
        var rest = connect
        let head = rest.readSlice(length: 3)!
        try channel.writeInbound(head)
        XCTAssertEqual(limits.budget.reserved, connect.readableBytes)
        XCTAssertEqual(recorder.connectsReceived, 0)

        rest.writeBytes([0xC0, 0x00])                       // a PINGREQ right behind it, in the same read
        try channel.writeInbound(rest)
        XCTAssertEqual(limits.budget.reserved, 0)
        XCTAssertEqual(recorder.connectsReceived, 1)
        XCTAssertEqual(try passedBytes(channel), Array(connect.readableBytesView) + [0xC0, 0x00], "every byte, in order")
        XCTAssertThrowsError(try channel.pipeline.syncOperations.handler(type: ConnectPacketGuard.self))
        XCTAssertTrue(channel.isActive)
    }

    func testAnEmptyConnectPassesAtOnce() throws {
        let limits = limits()
        let (channel, recorder) = try channel([ConnectPacketGuard(limits: limits)])
        try channel.writeInbound(bytes([0x10, 0x00]))        // the decoder refuses it, not the guard
        XCTAssertEqual(recorder.connectsReceived, 1)
        XCTAssertEqual(limits.budget.reserved, 0)
        XCTAssertEqual(try passedBytes(channel), [0x10, 0x00])
    }

    func testTheReservationIsGivenBackWhenTheConnectionCloses() throws {
        let limits = limits()
        let (channel, _) = try channel([ConnectPacketGuard(limits: limits)])
        try channel.writeInbound(bytes([0x10, 0xE8, 0x07]))  // 1000
        XCTAssertEqual(limits.budget.reserved, 1_003)
        try channel.close().wait()
        XCTAssertEqual(limits.budget.reserved, 0)
    }

    func testConnectionsShareOneBudget() throws {
        let limits = limits(budget: 2_000)
        let (holder, _) = try channel([ConnectPacketGuard(limits: limits)])
        try holder.writeInbound(bytes([0x10, 0xD9, 0x0B]))   // 1497 + 3 = 1500
        XCTAssertEqual(limits.budget.reserved, 1_500)

        let (refused, _) = try channel([ConnectPacketGuard(limits: limits)])
        try refused.writeInbound(bytes([0x10, 0xD6, 0x04]))  // 598 + 3 = 601: does not fit beside it
        XCTAssertFalse(refused.isActive)
        XCTAssertEqual(limits.budget.reserved, 1_500)

        try holder.close().wait()
        let (admitted, _) = try channel([ConnectPacketGuard(limits: limits)])
        try admitted.writeInbound(bytes([0x10, 0xD6, 0x04]))
        XCTAssertTrue(admitted.isActive)
        XCTAssertEqual(limits.budget.reserved, 601)
    }

    func testLargeReservationsLeaveAQuarterOfTheBudgetToSmallOnes() {
        let budget = ConnectingBytesBudget(limit: 400_000)
        XCTAssertTrue(budget.reserve(300_000, connectionTotal: 300_000))
        XCTAssertFalse(budget.reserve(100_000, connectionTotal: 100_000), "large ones stop at three quarters")
        XCTAssertTrue(budget.reserve(60_000, connectionTotal: 60_000), "small ones may use the rest")
        XCTAssertFalse(budget.reserve(40_001, connectionTotal: 1_000))
        XCTAssertTrue(budget.reserve(40_000, connectionTotal: 1_000))
        budget.release(400_000)
        XCTAssertEqual(budget.reserved, 0)
    }

    // MARK: PreConnectByteCap

    func testTheByteCapClosesPastItsLimitAndGivesEverythingBack() throws {
        let limits = limits(maximumPacketSize: 1_000)
        let (channel, _) = try channel([PreConnectByteCap(limits: limits)])
        let cap = 1_000 + PreConnectLimits.webSocketAllowance
        try channel.writeInbound(ByteBuffer(repeating: 0, count: cap - 1))
        XCTAssertEqual(limits.budget.reserved, cap - 1)
        XCTAssertTrue(channel.isActive)
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 2))
        XCTAssertFalse(channel.isActive)
        XCTAssertEqual(limits.budget.reserved, 0)
        XCTAssertEqual(try passedBytes(channel).count, cap - 1, "the bytes past the cap stay out")
    }

    func testTheByteCapClosesWhenTheBudgetIsFull() throws {
        let limits = limits(budget: 10_000)
        let (channel, _) = try channel([PreConnectByteCap(limits: limits)])
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 9_000))
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 1_001))
        XCTAssertFalse(channel.isActive)
        XCTAssertEqual(limits.budget.reserved, 0)
    }

    /// The whole chain as a listener builds it: once the CONNECT passes the guard, the byte cap and
    /// the deadline in front of it give back what they held and leave.
    func testAConnectReleasesEveryPreConnectHandler() throws {
        let loop = EmbeddedEventLoop()
        let limits = limits()
        let (channel, recorder) = try channel([ConnectDeadline(timeout: .seconds(10), log: limits.log),
                                               PreConnectByteCap(limits: limits), UpgradeRequestStandIn(),
                                               ConnectPacketGuard(limits: limits)],
                                              loop: loop)
        try channel.writeInbound(ByteBuffer(string: "GET /mqtt HTTP/1.1 ..."))
        XCTAssertGreaterThan(limits.budget.reserved, 0)
        try channel.writeInbound(try connectBytes())
        XCTAssertEqual(limits.budget.reserved, 0)
        XCTAssertEqual(recorder.connectsReceived, 0, "the deadline takes the event and goes no further")
        let sync = channel.pipeline.syncOperations
        XCTAssertThrowsError(try sync.handler(type: ConnectDeadline.self))
        XCTAssertThrowsError(try sync.handler(type: PreConnectByteCap.self))
        XCTAssertThrowsError(try sync.handler(type: ConnectPacketGuard.self))
        loop.advanceTime(by: .seconds(30))
        XCTAssertTrue(channel.isActive)
    }

    // MARK: ConnectDeadline

    func testTheDeadlineClosesWhateverTheHandlersBehindItWaitFor() throws {
        let loop = EmbeddedEventLoop()
        let limits = limits()
        // Like a TLS handler mid-handshake: it never passes a close on.
        let deadline = ConnectDeadline(timeout: .seconds(10), tls: true, webSocket: true, log: limits.log)
        let (channel, _) = try channel([deadline, CloseSwallower()], loop: loop)
        channel.close(promise: nil)
        XCTAssertTrue(channel.isActive)
        loop.advanceTime(by: .milliseconds(9_999))
        XCTAssertTrue(channel.isActive)
        loop.advanceTime(by: .milliseconds(1))
        XCTAssertFalse(channel.isActive)
        XCTAssertTrue(logLines.withLockedValue { $0.last ?? "" }.hasSuffix(
            "127.0.0.1:50312 did not complete its TLS handshake, WebSocket upgrade and CONNECT within 10.0 s, disconnecting."))
    }

    func testTheDeadlineStopsAtConnect() throws {
        let loop = EmbeddedEventLoop()
        let (channel, recorder) = try channel([ConnectDeadline(timeout: .seconds(10), log: limits().log)], loop: loop)
        channel.pipeline.triggerUserOutboundEvent(ConnectReceived(), promise: nil)
        XCTAssertEqual(recorder.connectsReceived, 0)
        loop.advanceTime(by: .seconds(30))
        XCTAssertTrue(channel.isActive)
        XCTAssertThrowsError(try channel.pipeline.syncOperations.handler(type: ConnectDeadline.self))
    }
}

/// Counts the `ConnectReceived` events that reach the front of the pipeline.
private final class OutboundEventRecorder: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    var connectsReceived = 0

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if event is ConnectReceived { connectsReceived += 1 }
        context.triggerUserOutboundEvent(event, promise: promise)
    }
}

/// Holds every close, as a TLS handler waiting for a handshake or close_notify does.
private final class CloseSwallower: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {}
}

/// Stands for the HTTP decoder of a WebSocket listener: takes the first read (the upgrade request).
private final class UpgradeRequestStandIn: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var upgraded = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if upgraded { context.fireChannelRead(data) }
        upgraded = true
    }
}
