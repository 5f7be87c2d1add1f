import CNcursesw
import Dashboard

/// Turns what `get_wch` returns into dashboard events: `OK` + a Unicode scalar (control characters
/// included) or `KEY_CODE_YES` + a curses key code. Bracketed paste arrives as the two key codes we
/// define for ESC[200~ and ESC[201~; everything between them becomes one `.paste`.
struct InputDecoder {
    static let pasteStartKey: Int32 = 0x3F0
    static let pasteEndKey: Int32 = 0x3F1
    /// Pasted text beyond this is dropped.
    static let maximumPaste = 1 << 20

    private var paste: String?

    mutating func decode(isKeyCode: Bool, value: UInt32) -> DashboardEvent? {
        if isKeyCode {
            let code = Int32(bitPattern: value)
            if code == Self.pasteStartKey {
                paste = ""
                return nil
            }
            if code == Self.pasteEndKey {
                defer { paste = nil }
                return paste.map { .paste($0) }
            }
            if paste != nil {
                if code == KEY_ENTER { append("\n") }
                return nil
            }
            return Self.key(code: code).map { .key($0) }
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        if paste != nil {
            switch value {
            case 0x0D, 0x0A: append("\n")
            case 0x09: append("\t")
            case 0..<0x20, 0x7F: break
            default: append(String(Character(scalar)))
            }
            return nil
        }
        return .key(Self.key(scalar: scalar))
    }

    private mutating func append(_ text: String) {
        guard var current = paste, current.utf8.count + text.utf8.count <= Self.maximumPaste else { return }
        current += text
        paste = current
    }

    static func key(scalar: Unicode.Scalar) -> Key {
        switch scalar.value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x00: return .control(" ")
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(scalar.value + 0x60)!))
        case 0x1C...0x1F: return .control(Character(Unicode.Scalar(scalar.value + 0x40)!))
        default: return .character(Character(scalar))
        }
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case mqd_key_f0() + 1...mqd_key_f0() + 63: return .function(Int(code - mqd_key_f0()))
        default: return nil
        }
    }

    static func mouse(_ event: MEVENT) -> MouseEvent? {
        let x = Int(event.x)
        let y = Int(event.y)
        if event.bstate & mqd_button4_pressed() != 0 { return .wheelUp(x: x, y: y) }
        if event.bstate & mqd_button5_pressed() != 0 { return .wheelDown(x: x, y: y) }
        if event.bstate & (mqd_button1_pressed() | mqd_button1_clicked()) != 0 { return .click(x: x, y: y) }
        return nil
    }
}
