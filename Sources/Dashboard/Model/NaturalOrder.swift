/// Topic levels in the order people expect: `sensor2` before `sensor10`. Runs of ASCII digits compare
/// by value, everything else byte by byte (UTF-8 order is code point order).
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
        var x = i.next(), y = j.next()
        while let p = x, let q = y {
            if isDigit(p) && isDigit(q) {
                // Skip leading zeros, then the longer run is the larger number; equal lengths compare digit by digit.
                var left: [UInt8] = [], right: [UInt8] = []
                var c: UInt8? = p
                while let d = c, isDigit(d) { if !(left.isEmpty && d == 48) { left.append(d) }; c = i.next() }
                x = c
                c = q
                while let d = c, isDigit(d) { if !(right.isEmpty && d == 48) { right.append(d) }; c = j.next() }
                y = c
                if left.count != right.count { return left.count < right.count }
                if left != right { return left.lexicographicallyPrecedes(right) }
                continue
            }
            if p != q { return p < q }
            x = i.next()
            y = j.next()
        }
        if x == nil && y == nil { return a.utf8.count < b.utf8.count }  // "01" and "1": fewer zeros first
        return x == nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}
