import ConfigFile

/// The spellings a theme file uses for colours and attributes, in both directions.
enum ThemeValues {
    /// Index = ANSI colour number; bright variants are "bright-" + the name, 8-15.
    static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static let attributeNames: [(name: String, attribute: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic), ("underline", .underline), ("reverse", .reverse),
    ]

    /// `"default"`, a name, `"bright-"` + name, 0-255 (integer or string) or `"#rrggbb"`; nil if none of those.
    static func color(_ value: ConfigValue) -> TerminalColor? {
        switch value {
        case .integer(let number):
            return (0...255).contains(number) ? .indexed(UInt8(number)) : nil
        case .array, .float, .bool, .dateTime, .table:
            return nil
        case .string(let text):
            let spelled = text.lowercased()
            if spelled == "default" { return .default }
            if let index = colorNames.firstIndex(of: spelled) { return .ansi(UInt8(index)) }
            if spelled.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(spelled.dropFirst(7))) {
                return .ansi(UInt8(index + 8))
            }
            if spelled.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(spelled), (0...255).contains(number) {
                return .indexed(UInt8(number))
            }
            if spelled.hasPrefix("#"), spelled.count == 7, spelled.dropFirst().allSatisfy(\.isHexDigit),
               let packed = UInt32(spelled.dropFirst(), radix: 16) {
                return .rgb(UInt8(packed >> 16), UInt8((packed >> 8) & 0xFF), UInt8(packed & 0xFF))
            }
            return nil
        }
    }

    static func attribute(named name: String) -> TextAttributes? {
        attributeNames.first { $0.name == name.lowercased() }?.attribute
    }
}
