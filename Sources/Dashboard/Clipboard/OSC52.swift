/// The OSC 52 terminal sequence that puts text on the system clipboard: `ESC ] 52 ; c ; BASE64 BEL`.
/// It works over SSH, and inside tmux with `set-clipboard on`; a terminal may ignore it (many ask or
/// refuse by default), and none says whether it did. The payload is base64, so whatever the bytes
/// are, nothing but the sequence's own ASCII reaches the terminal.
public enum OSC52 {
    /// Most terminals take 100 000 characters of base64 at most (xterm's default, hterm, tmux's
    /// buffer limit is larger): 74 999 bytes encode to at most 100 000.
    public static let maximumBytes = 74_999

    /// The whole sequence for `bytes` (the caller keeps to `maximumBytes`).
    public static func sequence(for bytes: [UInt8]) -> [UInt8] {
        Array("\u{1b}]52;c;".utf8) + base64(bytes) + [0x07]
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with `=` padding (the Dashboard target does without Foundation).
    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                if position <= count {
                    out.append(alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3f)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return out
    }
}
