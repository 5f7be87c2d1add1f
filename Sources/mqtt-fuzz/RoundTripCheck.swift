import MQTTCore
import NIOCore

/// The property both the replayer and libFuzzer check: arbitrary bytes never crash the decoder, and
/// every packet it accepts encodes and decodes back to itself. A violation stops the process
/// (precondition), which is what libFuzzer records as a crash.
enum RoundTripCheck {
    /// Outcome counts, so the replayer can say what a corpus exercised.
    struct Tally {
        var packets = 0
        var errors = 0
    }

    /// A small maximum makes the size checks fire on ordinary inputs; the large one lets every packet through.
    static let maximumSizes = [64, maximumVariableByteInteger + 5]
    static let directions: [PacketDirection] = [.clientToServer, .serverToClient, .any]

    static func run(_ input: ByteBuffer, tally: inout Tally) {
        for version in [MQTTVersion.v3_1_1, .v5] {
            for direction in directions {
                for maximum in maximumSizes {
                    decodeStream(input, version: version, direction: direction, maximum: maximum, tally: &tally)
                }
            }
        }
    }

    /// Decodes packets until the input ends or is refused, checking each one.
    private static func decodeStream(
        _ input: ByteBuffer, version: MQTTVersion, direction: PacketDirection, maximum: Int, tally: inout Tally
    ) {
        var decoder = PacketDecoder(version: version, direction: direction, maximumPacketSize: maximum)
        var buffer = input
        while true {
            let before = buffer.readerIndex
            let packet: MQTTPacket?
            do throws(MQTTDecodeError) {
                packet = try decoder.next(from: &buffer)
            } catch {
                // Refusing bad input is the decoder's job; touch what a connection would log and send.
                _ = error.description
                _ = error.reasonCode
                tally.errors += 1
                return
            }
            guard let packet else {
                precondition(buffer.readerIndex == before, "decoder consumed bytes without producing a packet")
                return
            }
            precondition(buffer.readerIndex > before, "decoder produced \(packet.type) without consuming bytes")
            tally.packets += 1
            // A CONNECT switches the decoder to its own version, and it is written in that version.
            checkRoundTrip(packet, version: decoder.version, direction: direction)
        }
    }

    private static func checkRoundTrip(_ packet: MQTTPacket, version: MQTTVersion, direction: PacketDirection) {
        let first = encode(packet, version: version)
        precondition(packet.encodedSize(version: version) == first.readableBytes, "encodedSize disagrees with write for \(packet)")
        // Re-encoding may add a byte (a v5 ack with a reason code but no property length gets one), so the
        // second decode uses MQTT's own ceiling, not the small test maximum.
        var decoder = PacketDecoder(version: version, direction: direction)
        var buffer = first
        let again: MQTTPacket?
        do throws(MQTTDecodeError) {
            again = try decoder.next(from: &buffer)
        } catch {
            preconditionFailure("re-encoded \(packet) does not decode: \(error)")
        }
        precondition(again == packet, "round trip changed the packet:\n  \(packet)\n  \(String(describing: again))")
        precondition(buffer.readableBytes == 0, "re-encoded \(packet.type) left \(buffer.readableBytes) bytes")
        // String equality is Unicode-canonical, so also require identical bytes from a second encode.
        precondition(encode(again!, version: version) == first, "second encode of \(packet.type) wrote different bytes")
    }

    private static func encode(_ packet: MQTTPacket, version: MQTTVersion) -> ByteBuffer {
        var buffer = ByteBuffer()
        do throws(MQTTEncodeError) {
            try packet.write(into: &buffer, version: version)
        } catch {
            preconditionFailure("decoded \(packet) cannot be encoded in \(version): \(error)")
        }
        return buffer
    }
}
