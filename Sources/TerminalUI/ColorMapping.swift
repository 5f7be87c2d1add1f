import Dashboard

/// What the terminal can show, from terminfo's colour count.
public enum ColorCapability: Equatable, Sendable {
    /// No colour at all (or NO_COLOR): only attributes.
    case none
    /// 8 or 16 ANSI colours.
    case ansi(count: Int)
    /// The xterm 256-colour palette.
    case palette256
    /// Direct colour: a colour number is 0xRRGGBB (terminfo `RGB`, e.g. xterm-direct, COLORS = 2^24).
    case direct
    /// More than 256 colours that can be redefined: rgb values get their own colour via init_extended_color.
    case extended(count: Int)

    public static func from(colors: Int, canChangeColor: Bool) -> ColorCapability {
        switch colors {
        case ..<8: return .none
        case ..<256: return .ansi(count: colors >= 16 ? 16 : 8)
        case 256: return .palette256
        case 0x1000000...: return .direct
        default: return canChangeColor ? .extended(count: colors) : .palette256
        }
    }
}

/// Maps theme colours to curses colour numbers (-1 = the terminal's default). Pure, so it is testable.
public enum ColorMapping {
    /// xterm's 16 ANSI colours as RGB.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The RGB value of an xterm 256-palette index.
    public static func rgb(ofIndex index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { return ansiRGB[i] }
        if i >= 232 {
            let level = UInt8(8 + (i - 232) * 10)
            return (level, level, level)
        }
        let cube = i - 16
        func component(_ v: Int) -> UInt8 { v == 0 ? 0 : UInt8(55 + v * 40) }
        return (component(cube / 36), component((cube / 6) % 6), component(cube % 6))
    }

    /// Nearest xterm 256 index (cube or grey ramp, never the user-configurable 0-15).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let (lr, lg, lb) = (level(r), level(g), level(b))
        let cubeIndex = UInt8(16 + 36 * lr + 6 * lg + lb)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = UInt8(average > 238 ? 255 : 232 + max(0, (average - 3)) / 10)
        return distance(rgb(ofIndex: greyIndex), (r, g, b)) < distance(rgb(ofIndex: cubeIndex), (r, g, b)) ? greyIndex : cubeIndex
    }

    /// Nearest of the first `count` ANSI colours.
    public static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<min(count, 16) {
            let d = distance(ansiRGB[i], (r, g, b))
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return best
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        // Weighted for the eye's green sensitivity.
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    /// The curses colour number for `color`, or a request to define one (`.define`) on extended terminals.
    public enum Resolved: Hashable {
        case number(Int)
        case define(r: UInt8, g: UInt8, b: UInt8)
    }

    public static func resolve(_ color: TerminalColor, capability: ColorCapability) -> Resolved {
        switch (color, capability) {
        case (.default, _), (_, .none):
            return .number(-1)
        case (.ansi(let n), .ansi(let count)):
            return .number(Int(n) < count ? Int(n) : Int(n) % 8)
        case (.ansi(let n), _):
            if case .direct = capability, n >= 8 {
                let (r, g, b) = ansiRGB[Int(n & 15)]
                return .number(directNumber(r, g, b))
            }
            return .number(Int(n & 15))
        case (.indexed(let i), .ansi(let count)):
            if Int(i) < count { return .number(Int(i)) }
            let (r, g, b) = rgb(ofIndex: i)
            return .number(nearestANSI(r, g, b, count: count))
        case (.indexed(let i), .direct):
            if i < 8 { return .number(Int(i)) }
            let (r, g, b) = rgb(ofIndex: i)
            return .number(directNumber(r, g, b))
        case (.indexed(let i), _):
            return .number(Int(i))
        case (.rgb(let r, let g, let b), .ansi(let count)):
            return .number(nearestANSI(r, g, b, count: count))
        case (.rgb(let r, let g, let b), .palette256):
            return .number(Int(nearest256(r, g, b)))
        case (.rgb(let r, let g, let b), .direct):
            return .number(directNumber(r, g, b))
        case (.rgb(let r, let g, let b), .extended):
            return .define(r: r, g: g, b: b)
        }
    }

    /// Direct-colour terminals treat numbers below 8 as the ANSI colours, so near-black blue is nudged up.
    static func directNumber(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        max(8, Int(r) << 16 | Int(g) << 8 | Int(b))
    }
}
