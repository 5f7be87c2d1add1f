import MQTTCore
import NIOCore

/// Stands in front of the MQTT decoder until the connection's CONNECT has gone through it, so that
/// nobody can make the broker buffer much before saying who they are:
/// - a first byte other than CONNECT's (0x10) closes the connection at once;
/// - the CONNECT's declared size is checked against `max_packet_size` and a 1 MiB cap, then reserved
///   from the budget shared by all connections (`max_connecting_bytes`); when either says no, the
///   connection is closed before its body is read.
/// The reservation is given back once the CONNECT was decoded (it is decoded synchronously as its
/// last byte passes) or the connection closed; then the guard removes itself.
final class ConnectPacketGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private enum State {
        /// The fixed header so far (type byte and remaining length, at most five bytes).
        case readingHeader(ByteBuffer)
        case readingBody(remaining: Int)
        case done
    }

    private let limits: PreConnectLimits
    private var state = State.readingHeader(ByteBuffer())
    private var reservation: ConnectingReservation

    init(limits: PreConnectLimits) {
        self.limits = limits
        reservation = ConnectingReservation(limits: limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytesView
        var index = bytes.startIndex
        while true {
            switch state {
            case .done:
                return
            case .readingBody(let remaining):
                let available = bytes.endIndex - index
                guard available >= remaining else {
                    state = .readingBody(remaining: remaining - available)
                    context.fireChannelRead(data)
                    return
                }
                // Bytes after the CONNECT go along too: by the time the decoder reaches them the CONNECT
                // has been decoded and authenticated (or refused), which is all this guard waits for.
                context.fireChannelRead(data)
                connectPassed(context: context)
                return
            case .readingHeader(var header):
                guard index < bytes.endIndex else {
                    context.fireChannelRead(data)
                    return
                }
                header.writeInteger(bytes[index])
                index += 1
                state = .readingHeader(header)
                if let refusal = inspect(header) {
                    refuse(context: context, refusal)
                    return
                }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        reservation.release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        reservation.release()
    }

    /// Checks the fixed header after each byte; once it is whole, reserves the CONNECT's size and
    /// moves on to its body. Returns why the connection must be refused, if it must.
    private func inspect(_ header: ByteBuffer) -> String? {
        var rest = header
        guard let first = rest.readInteger(as: UInt8.self) else { return nil }
        guard first == 0x10 else {
            let type = MQTTPacketType(rawValue: first >> 4)?.description ?? "reserved packet type 0"
            return "sent \(type) (first byte 0x\(String(first, radix: 16, uppercase: true))) before CONNECT"
        }
        let remainingLength: Int
        do {
            guard let length = try rest.readVariableByteInteger() else { return nil }
            remainingLength = length
        } catch {
            return "sent a CONNECT with a malformed remaining length"
        }
        let total = header.readableBytes + remainingLength
        if total > limits.connectSizeLimit {
            let which = limits.connectSizeLimit == limits.maximumPacketSize ? "max_packet_size" : "the CONNECT size limit"
            return "declared a CONNECT of \(total) bytes, above \(which) (\(limits.connectSizeLimit) bytes)"
        }
        guard reservation.grow(to: total) else {
            return "declared a CONNECT of \(total) bytes while connections awaiting CONNECT already hold "
                + "\(limits.budget.reserved) bytes (max_connecting_bytes \(limits.budget.limit))"
        }
        state = .readingBody(remaining: remainingLength)
        return nil
    }

    private func connectPassed(context: ChannelHandlerContext) {
        state = .done
        reservation.release()
        context.triggerUserOutboundEvent(ConnectReceived(), promise: nil)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func refuse(context: ChannelHandlerContext, _ why: String) {
        state = .done
        reservation.release()
        limits.refuse(context, why)
    }
}
