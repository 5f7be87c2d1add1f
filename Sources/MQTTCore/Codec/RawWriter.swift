import NIOCore

/// Writes fields into memory the caller has already reserved. Each ByteBuffer write checks capacity
/// and pays an exclusivity check on its storage; the hot packets are written through this instead,
/// under one access for the whole packet.
struct RawWriter {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    mutating func byte(_ value: UInt8) {
        precondition(count < capacity, "RawWriter overflow")
        base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    mutating func uint16(_ value: UInt16) {
        byte(UInt8(truncatingIfNeeded: value >> 8))
        byte(UInt8(truncatingIfNeeded: value))
    }

    mutating func variableByteInteger(_ value: Int) {
        var remaining = value
        repeat {
            let low = UInt8(remaining & 0x7F)
            remaining >>= 7
            byte(remaining > 0 ? low | 0x80 : low)
        } while remaining > 0
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let start = source.baseAddress, source.count > 0 else { return }
        precondition(source.count <= capacity - count, "RawWriter overflow")
        (base + count).copyMemory(from: start, byteCount: source.count)
        count += source.count
    }

    /// The string's UTF-8 bytes, without a length prefix.
    mutating func utf8(_ string: String) {
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { bytes(UnsafeRawBufferPointer($0)) }
        if copied == nil { for unit in string.utf8 { byte(unit) } }
    }

    mutating func readableBytes(of buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes($0) }
    }
}

extension ByteBuffer {
    /// Reserves `size` bytes and fills them through a `RawWriter`, which must write exactly `size` bytes.
    mutating func writeRaw(size: Int, _ body: (inout RawWriter) -> Void) {
        writeWithUnsafeMutableBytes(minimumWritableBytes: size) { memory in
            var writer = RawWriter(UnsafeMutableRawBufferPointer(rebasing: memory[..<size]))
            body(&writer)
            precondition(writer.count == size, "RawWriter wrote \(writer.count) of \(size) bytes")
            return size
        }
    }
}
