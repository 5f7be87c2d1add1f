/// Hand-written programs for the starting corpus: each reaches a corner the fuzzer then mutates around
/// (ACL-filtered fan-out, a full queue, held acks and a commit, takeover, a will, keep-alive expiry).
enum Seeds {
    enum Op: UInt8 {
        case connect = 0, publish, subscribe, unsubscribe, pubAck, pubRec, pubRel, pubComp, raw, disconnect, drop, writability,
             advance, ping, commit, ackAll
    }

    /// One step: the opcode byte (slot in the low two bits) and its argument bytes.
    static func step(_ op: Op, _ slot: UInt8, _ arguments: UInt8...) -> [UInt8] {
        [op.rawValue << 2 | slot] + arguments
    }

    // Argument helpers, spelled out so the seeds read as programs.
    static func connect(_ slot: UInt8, v5: Bool = true, clean: Bool = true, user: UInt8 = 0, keepAlive: UInt8 = 0,
                        persistent: Bool = false, will: Bool = false, receiveMaximum: UInt8? = nil) -> [UInt8] {
        let flags = (v5 ? 1 : 0) | (clean ? 2 : 0) | user << 2 | keepAlive << 4 | (persistent ? 0x40 : 0) | (will ? 0x80 : 0)
        let extra = receiveMaximum.map { ($0 - 1) % 4 } ?? 0x80
        return step(.connect, slot, UInt8(flags), extra)
    }

    static func publish(_ slot: UInt8, topic: UInt8, qos: UInt8 = 1, retain: Bool = false, id: UInt8 = 0) -> [UInt8] {
        step(.publish, slot, topic | qos << 4 | (retain ? 0x40 : 0), id)
    }

    static func subscribe(_ slot: UInt8, filter: UInt8, qos: UInt8 = 1) -> [UInt8] { step(.subscribe, slot, filter, qos) }

    static let programs: [(name: String, setup: UInt8, steps: [[UInt8]])] = [
        ("fanout-acl", 0, [connect(0, user: 1), connect(1, v5: false, user: 2), connect(2), connect(3, user: 3),
                           subscribe(0, filter: 4), subscribe(1, filter: 4), subscribe(2, filter: 4), subscribe(3, filter: 6),
                           publish(1, topic: 0), publish(0, topic: 2, qos: 2, id: 1), publish(3, topic: 15), publish(2, topic: 8),
                           step(.ackAll, 0), step(.ackAll, 1), step(.ackAll, 2), step(.ackAll, 0)]),
        ("full-queue", 0, [connect(0, clean: false, user: 1, persistent: true), subscribe(0, filter: 0, qos: 2), step(.drop, 0),
                           connect(1, user: 2)] + (0..<8).map { publish(1, topic: 0, qos: 1, id: $0) }
                          + [connect(0, clean: false, user: 1, persistent: true), step(.ackAll, 0), step(.ackAll, 0)]),
        ("held-acks", 1, [connect(0, clean: false, user: 1, persistent: true), subscribe(0, filter: 1), connect(1, user: 2, receiveMaximum: 2),
                          publish(1, topic: 0, id: 1), publish(1, topic: 1, qos: 2, retain: true, id: 2), step(.pubAck, 0, 0),
                          step(.commit, 0), step(.ackAll, 1), step(.commit, 0)]),
        ("takeover-will", 0, [connect(0, user: 1, will: true), connect(1, user: 2), subscribe(1, filter: 4),
                              connect(0, clean: false, user: 1, will: true), step(.drop, 0), step(.ackAll, 1)]),
        ("keepalive", 0, [connect(0, v5: false, keepAlive: 1), connect(1, keepAlive: 2, will: true), subscribe(0, filter: 8),
                          step(.advance, 0, 1), step(.ping, 1), step(.advance, 0, 2), step(.advance, 0, 5)]),
        ("slow-reader", 2, [connect(0, user: 2, receiveMaximum: 1), subscribe(0, filter: 3, qos: 1), step(.writability, 0),
                            connect(1, user: 2), publish(1, topic: 2, qos: 0), publish(1, topic: 3, qos: 1, id: 1),
                            publish(1, topic: 12, qos: 2, id: 2), step(.writability, 0), step(.ackAll, 0), step(.ackAll, 1)]),
        ("qos2-resend", 8, [connect(0, v5: false, clean: false, user: 1), subscribe(0, filter: 0, qos: 2), connect(1, user: 1),
                            publish(1, topic: 0, qos: 2, id: 3), publish(1, topic: 0, qos: 2, id: 3), step(.pubRec, 0, 0),
                            step(.drop, 0), connect(0, v5: false, clean: false, user: 1), step(.pubComp, 0, 0), step(.ackAll, 1)]),
        ("raw-garbage", 4, [connect(0), step(.raw, 0, 6, 0x30, 0x04, 0x00, 0x01, 0x61, 0x62), subscribe(1, filter: 5),
                            connect(1, v5: false), step(.raw, 1, 4, 0x82, 0x02, 0x00, 0x01), step(.disconnect, 0, 1)]),
    ]

    static func files() -> [(name: String, bytes: [UInt8])] {
        programs.map { ($0.name, [$0.setup] + $0.steps.flatMap { $0 }) }
    }
}
