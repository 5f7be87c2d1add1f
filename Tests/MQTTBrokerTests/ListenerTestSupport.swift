import Foundation
import MQTTBroker
import MQTTCore
import NIOCore
import TestSupport
import XCTest

/// What the test MQTT side saw, shared with the test thread.
final class MQTTRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var _clientIDs: [String] = []
    private var _payloads: [String] = []
    private var _channels: [any Channel] = []
    private var _noDelay: [Bool] = []

    var clientIDs: [String] { lock.withLock { _clientIDs } }
    var payloads: [String] { lock.withLock { _payloads } }
    var channels: [any Channel] { lock.withLock { _channels } }
    /// TCP_NODELAY of each accepted socket, read as the MQTT handlers are added.
    var noDelay: [Bool] { lock.withLock { _noDelay } }

    func connected(_ clientID: String) { lock.withLock { _clientIDs.append(clientID) } }
    func published(_ payload: String) { lock.withLock { _payloads.append(payload) } }
    func accepted(_ channel: any Channel) {
        let noDelay = (try? channel.syncOptions?.getOption(.socketOption(.tcp_nodelay))).map { $0 != 0 }
        lock.withLock {
            _channels.append(channel)
            if let noDelay { _noDelay.append(noDelay) }
        }
    }

    /// The test-only MQTT side of a listener: decodes what clients send with the MQTTCore codec,
    /// answers CONNECT with CONNACK (accepted) and PINGREQ with PINGRESP, records the rest.
    var initializeMQTT: @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            self.accepted(channel)
            return channel.eventLoop.makeCompletedFuture {
                let encoder = MQTTPacketEncoder(version: .v3_1_1)
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(ByteToMessageHandler(MQTTPacketByteDecoder(
                    decoder: PacketDecoder(version: .v3_1_1, direction: .clientToServer))))
                try sync.addHandler(MessageToByteHandler(encoder))
                try sync.addHandler(ConnAckResponder(encoder: encoder, recorder: self))
            }
        }
    }
}

/// Just enough of a broker for transport tests.
private final class ConnAckResponder: ChannelInboundHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundOut = MQTTPacket
    let encoder: MQTTPacketEncoder
    let recorder: MQTTRecorder

    init(encoder: MQTTPacketEncoder, recorder: MQTTRecorder) {
        self.encoder = encoder
        self.recorder = recorder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .connect(let connect):
            encoder.version = connect.version
            recorder.connected(connect.clientID)
            context.writeAndFlush(wrapOutboundOut(.connAck(ConnAckPacket())), promise: nil)
        case .publish(let publish):
            recorder.published(String(buffer: publish.payload))
        case .pingReq:
            context.writeAndFlush(wrapOutboundOut(.pingResp), promise: nil)
        case .disconnect:
            context.close(promise: nil)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with the
/// `openssl` command; plus a second CA the listener does not trust, with its own client certificate.
struct TestCertificates {
    let directory: TemporaryDirectory
    var caFile: String { directory.file("ca.crt") }
    var serverCert: String { directory.file("server.crt") }
    var serverKey: String { directory.file("server.key") }
    var clientCert: String { directory.file("client.crt") }
    var clientKey: String { directory.file("client.key") }
    var strangerCert: String { directory.file("stranger.crt") }
    var strangerKey: String { directory.file("stranger.key") }

    static func make() throws -> TestCertificates {
        guard let openssl = findExecutable("openssl") else {
            throw XCTSkip("openssl is not installed (apt-get install openssl)")
        }
        let directory = try TemporaryDirectory()
        func run(_ arguments: [String]) throws {
            let result = try runProcess(openssl, arguments)
            guard result.status == 0 else {
                throw NSError(domain: "openssl", code: Int(result.status),
                              userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")): \(result.stderr)"])
            }
        }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func makeCA(_ name: String) throws {
            try run(["req", "-x509"] + key + ["-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).crt"),
                     "-days", "2", "-subj", "/CN=mqdash test \(name)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        func makeLeaf(_ name: String, ca: String, extensions: String) throws {
            let ext = try directory.write("\(name).ext", extensions)
            try run(["req"] + key + ["-keyout", directory.file("\(name).key"), "-out", directory.file("\(name).csr"),
                     "-subj", "/CN=\(name)"])
            try run(["x509", "-req", "-in", directory.file("\(name).csr"), "-CA", directory.file("\(ca).crt"),
                     "-CAkey", directory.file("\(ca).key"), "-CAcreateserial", "-out", directory.file("\(name).crt"),
                     "-days", "2", "-extfile", ext])
        }
        try makeCA("ca")
        try makeCA("otherca")
        try makeLeaf("server", ca: "ca", extensions: "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try makeLeaf("client", ca: "ca", extensions: "extendedKeyUsage=clientAuth\n")
        try makeLeaf("stranger", ca: "otherca", extensions: "extendedKeyUsage=clientAuth\n")
        return TestCertificates(directory: directory)
    }
}

/// A blocking TCP socket to 127.0.0.1 with a receive timeout, for speaking raw bytes to a listener.
final class RawConnection {
    private let fd: Int32

    init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        try connect(to: &address, timeoutSeconds: timeoutSeconds)
    }

    init(unixPath: String, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in unixPath.utf8.prefix(path.count - 1).enumerated() { path[index] = byte }
        }
        try connect(to: &address, timeoutSeconds: timeoutSeconds)
    }

    private func connect<Address>(to address: inout Address, timeoutSeconds: Int) throws {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw NSError(domain: "connect", code: Int(errno))
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    /// Exactly `count` bytes, or fewer when the peer closed or the timeout passed.
    func receive(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: count)
        while bytes.count < count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - bytes.count, 0) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return bytes
    }

    /// Everything until the peer closes (or the timeout passes).
    func receiveUntilClosed() -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let part = receive(1)
            if part.isEmpty { return bytes }
            bytes += part
        }
    }

    /// True when the peer closed the connection: recv gives 0 (or ECONNRESET) before the timeout.
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    /// An HTTP response head, up to and including the blank line.
    func receiveHTTPHead() -> String {
        var bytes: [UInt8] = []
        while !bytes.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let part = receive(1)
            if part.isEmpty { break }
            bytes += part
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One short WebSocket frame from the server: (first byte, masked, payload).
    func receiveFrame() -> (first: UInt8, masked: Bool, payload: [UInt8])? {
        let header = receive(2)
        guard header.count == 2 else { return nil }
        let length = Int(header[1] & 0x7F)
        precondition(length < 126, "the tests use short frames only")
        let masked = header[1] & 0x80 != 0
        let key = masked ? receive(4) : []
        var payload = receive(length)
        if masked { payload = payload.enumerated().map { $0.element ^ key[$0.offset % 4] } }
        return (header[0], masked, payload)
    }
}

/// A masked client frame, as RFC 6455 requires from clients.
func clientFrame(opcode: UInt8, fin: Bool = true, _ payload: [UInt8]) -> [UInt8] {
    precondition(payload.count < 126)
    let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
    return [(fin ? 0x80 : 0) | opcode, 0x80 | UInt8(payload.count)] + key
        + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
}

/// The bytes of a 3.1.1 CONNECT.
func connectBytes(clientID: String) throws -> [UInt8] {
    var buffer = ByteBuffer()
    try MQTTPacket.connect(ConnectPacket(version: .v3_1_1, clientID: clientID)).write(into: &buffer, version: .v3_1_1)
    return Array(buffer.readableBytesView)
}

/// Waits (bounded) until `condition` holds.
func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
    return true
}
