import PayloadDecoders

/// One line of a payload for the tree and the log: only the bytes that can show are decoded,
/// so a 64 KB payload costs as much as a short one.
enum PayloadPreview {
    /// `decoded`: the message through its topic's decoder, shown instead of the raw bytes.
    static func line(_ message: ReceivedMessage, columns: Int, decoded: DecodedPayload? = nil) -> String {
        guard columns > 0 else { return "" }
        if message.size == 0 { return "(empty)" }
        if let decoded = decoded { return SafeText.line(decoded.previewText, maxCharacters: columns) }
        // Each shown character takes at least one byte and at most four.
        let bytes = message.payload.readableBytesView.prefix(columns * 4 + 3)
        return SafeText.line(bytes, maxCharacters: columns)
    }
}
