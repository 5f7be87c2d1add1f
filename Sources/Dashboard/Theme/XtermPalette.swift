/// The xterm colour palette, to find the nearest colour a smaller terminal can show.
/// Terminals may redefine the first 16 colours; xterm's defaults are the usual reference.
enum XtermPalette {
    typealias RGB = (red: Int, green: Int, blue: Int)

    /// xterm's defaults for ANSI 0-15.
    static let ansi: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The channel values of the 6x6x6 cube at 16-231.
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(ofIndex index: UInt8) -> RGB {
        let index = Int(index)
        switch index {
        case 0..<16:
            return ansi[index]
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[(cube / 6) % 6], cubeLevels[cube % 6])
        default:
            let grey = 8 + 10 * (index - 232)
            return (grey, grey, grey)
        }
    }

    /// Nearest of 16-255: the cube and the grey ramp, which every 256-colour terminal agrees on
    /// (0-15 are left out because terminals redefine them).
    static func nearestIndex(to color: RGB) -> UInt8 {
        let cube = (nearestLevel(color.red), nearestLevel(color.green), nearestLevel(color.blue))
        let cubeIndex = 16 + 36 * cube.0 + 6 * cube.1 + cube.2
        let average = (color.red + color.green + color.blue) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let greyIndex = 232 + greyStep
        let cubeDistance = distance(color, rgb(ofIndex: UInt8(cubeIndex)))
        let greyDistance = distance(color, rgb(ofIndex: UInt8(greyIndex)))
        return UInt8(greyDistance < cubeDistance ? greyIndex : cubeIndex)
    }

    /// Nearest of the first `count` (8 or 16) ANSI colours. A grey goes to a grey: by distance alone
    /// mid grey is nearer cyan than white, and a grey border drawn in cyan looks wrong.
    static func nearestANSI(to color: RGB, count: Int) -> UInt8 {
        let spread = max(color.red, color.green, color.blue) - min(color.red, color.green, color.blue)
        let candidates = spread < 24 ? [0, 7, 8, 15].filter { $0 < count } : Array(0..<count)
        let best = candidates.min { distance(color, ansi[$0]) < distance(color, ansi[$1]) } ?? 0
        return UInt8(best)
    }

    private static func nearestLevel(_ value: Int) -> Int {
        cubeLevels.indices.min { abs(cubeLevels[$0] - value) < abs(cubeLevels[$1] - value) } ?? 0
    }

    /// "Redmean" weighted distance: plain RGB distance with weights that follow the eye closely enough
    /// to keep greys grey and blues blue, at no real cost.
    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let meanRed = (a.red + b.red) / 2
        let red = a.red - b.red, green = a.green - b.green, blue = a.blue - b.blue
        // Parenthesised: in Swift >> binds tighter than *.
        return (((512 + meanRed) * red * red) >> 8) + 4 * green * green + (((767 - meanRed) * blue * blue) >> 8)
    }
}
