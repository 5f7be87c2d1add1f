/// How many colours the terminal can show; themes are written once and mapped down to this.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    /// No colours: attributes only (NO_COLOR, `TERM=dumb`, or curses reports fewer than 8).
    case none
    case ansi8
    case ansi16
    case palette256
    /// 24-bit `#rrggbb`.
    case trueColor

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decides the depth from the environment and what curses reported after `start_color()`.
    ///
    /// In order: `NO_COLOR` (any non-empty value) or `TERM=dumb` means none; `COLORTERM=truecolor`
    /// or `24bit` means true colour, which terminals announce only there; then the `COLORS` count from
    /// curses, which knows the terminfo entry; without it (nil, before curses starts) a guess from
    /// `TERM` (`*-256color`, `*-direct`, `*-16color`, else 8 colours).
    public static func detect(environment: [String: String], colorsReported: Int?) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let term = environment["TERM"] ?? ""
        if term == "dumb" { return .none }
        if let colors = colorsReported, colors < 8 { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        if let colors = colorsReported { return depth(forColors: colors) }
        if term.hasSuffix("-direct") { return .trueColor }
        if term.hasSuffix("-256color") { return .palette256 }
        if term.hasSuffix("-16color") { return .ansi16 }
        return term.isEmpty ? .none : .ansi8
    }

    /// Depth for a curses `COLORS` value (ncurses reports 2^24 for direct-colour terminfo entries).
    public static func depth(forColors colors: Int) -> ColorDepth {
        switch colors {
        case 0x100_0000...: return .trueColor
        case 256...: return .palette256
        case 16...: return .ansi16
        case 8...: return .ansi8
        default: return .none
        }
    }

    /// The nearest colour this depth can show: rgb to the nearest xterm-256 index (16-255), anything
    /// to the nearest of the 16 or 8 ANSI colours by its xterm RGB value, and `.default` when there is
    /// no colour at all. Colours the terminal can already show are kept.
    public func map(_ color: TerminalColor) -> TerminalColor {
        switch (self, color) {
        case (_, .default): return .default
        case (.none, _): return .default
        case (.trueColor, _): return color
        case (.palette256, .rgb(let red, let green, let blue)):
            return .indexed(XtermPalette.nearestIndex(to: (Int(red), Int(green), Int(blue))))
        case (.palette256, _): return color
        case (.ansi16, .ansi), (.ansi8, .ansi(0..<8)): return color
        case (.ansi16, .indexed(let index)) where index < 16: return .ansi(index)
        case (.ansi8, .indexed(let index)) where index < 8: return .ansi(index)
        case (.ansi16, _), (.ansi8, _):
            return .ansi(XtermPalette.nearestANSI(to: Self.rgb(of: color), count: self == .ansi16 ? 16 : 8))
        }
    }

    /// A style mapped colour by colour, with two repairs where few colours would hide the text:
    /// - On 8 colours a mid grey on the terminal's own background would become black or white and
    ///   vanish on dark or light terminals; the terminal's own foreground, dimmed, is grey on both.
    /// - On 8 or 16 colours a foreground that lands on its own background becomes black or white,
    ///   whichever stands out from that background.
    public func map(_ style: Style) -> Style {
        var mapped = Style(foreground: map(style.foreground), background: map(style.background), attributes: style.attributes)
        if self == .ansi8, style.background == .default, let level = Self.greyLevel(style.foreground), (64..<192).contains(level) {
            mapped.foreground = .default
            mapped.attributes.insert(.dim)
        }
        if self == .ansi8 || self == .ansi16, mapped.foreground == mapped.background,
           style.foreground != style.background, case .ansi(let index) = mapped.background {
            let background = XtermPalette.ansi[Int(index)]
            let light = background.red * 299 + background.green * 587 + background.blue * 114 > 128_000
            mapped.foreground = .ansi(light ? 0 : 7)
        }
        return mapped
    }

    /// The level of a grey given as a palette index or rgb (ANSI 8, bright black, counts too);
    /// nil for colours and for black and white named as such, which the theme chose on purpose.
    private static func greyLevel(_ color: TerminalColor) -> Int? {
        switch color {
        case .default, .ansi(0..<8), .indexed(0..<8): return nil
        default:
            let value = rgb(of: color)
            let spread = max(value.red, value.green, value.blue) - min(value.red, value.green, value.blue)
            return spread < 24 ? (value.red + value.green + value.blue) / 3 : nil
        }
    }

    private static func rgb(of color: TerminalColor) -> XtermPalette.RGB {
        switch color {
        case .default: return (0, 0, 0)
        case .ansi(let index): return XtermPalette.ansi[Int(index & 15)]
        case .indexed(let index): return XtermPalette.rgb(ofIndex: index)
        case .rgb(let red, let green, let blue): return (Int(red), Int(green), Int(blue))
        }
    }
}

extension Theme {
    /// The theme as a terminal of this depth shows it: every colour mapped down, and with no colour
    /// at all `Theme.monochrome`, because a theme that marks the selection only by its background
    /// would otherwise lose it.
    public func adapted(to depth: ColorDepth) -> Theme {
        if depth == .none { return .monochrome }
        return Theme(name: name, styles: styles.mapValues { depth.map($0) })
    }
}
