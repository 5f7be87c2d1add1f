import Foundation

/// A point in time to the microsecond, as a recording writes it: `2026-12-03T09:12:00.123456Z`.
/// Integer microseconds rather than `Date`, so that a time read back is the time written, bit for bit.
public struct RecordTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microsecondsSince1970: Int64

    public init(microsecondsSince1970: Int64) { self.microsecondsSince1970 = microsecondsSince1970 }

    public init(_ date: Date) {
        self.init(microsecondsSince1970: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    public static func now() -> RecordTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return RecordTimestamp(microsecondsSince1970: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSince1970) / 1_000_000) }

    public static func < (lhs: RecordTimestamp, rhs: RecordTimestamp) -> Bool {
        lhs.microsecondsSince1970 < rhs.microsecondsSince1970
    }

    /// How long from `self` to `later`.
    public func duration(to later: RecordTimestamp) -> Duration {
        .microseconds(later.microsecondsSince1970 - microsecondsSince1970)
    }

    public var description: String { String(decoding: iso8601, as: UTF8.self) }

    /// UTC, always six fraction digits and `Z`.
    public var iso8601: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(27)
        appendISO8601(to: &out)
        return out
    }

    /// `iso8601` appended to `out`, with no array of its own: the recorder writes one per message.
    public func appendISO8601(to out: inout [UInt8]) {
        let (days, micros) = microsecondsSince1970.quotientAndRemainder(dividingBy: 86_400_000_000)
        let dayNumber = micros < 0 ? days - 1 : days
        let inDay = micros < 0 ? micros + 86_400_000_000 : micros
        let (year, month, day) = CivilDate.fromDays(dayNumber)
        let seconds = inDay / 1_000_000
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        out.append(UInt8(ascii: "-"))
        digits(month, 2)
        out.append(UInt8(ascii: "-"))
        digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        out.append(UInt8(ascii: "."))
        digits(inDay % 1_000_000, 6)
        out.append(UInt8(ascii: "Z"))
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fraction][Z][±HH[:]MM]`. mosquitto_sub's `%J` writes local time followed by
    /// `Z` and the real offset (`...Z+0100`), so an offset after `Z` still counts.
    public init?(parsing text: some Collection<UInt8>) {
        // Read in place when the bytes are contiguous: a replay parses one per message.
        let micros = text.withContiguousStorageIfAvailable(Self.microseconds(parsing:))
            ?? Array(text).withUnsafeBufferPointer(Self.microseconds(parsing:))
        guard let micros else { return nil }
        self.init(microsecondsSince1970: micros)
    }

    private static func microseconds(parsing bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var position = 0
        func number(_ width: Int) -> Int64? {
            guard position + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[position..<position + width] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            position += width
            return value
        }
        // A scalar, not a Character: `Character.asciiValue` costs a grapheme walk on every call.
        func expect(_ scalar: Unicode.Scalar) -> Bool {
            guard position < bytes.count, UInt32(bytes[position]) == scalar.value else { return false }
            position += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("T") || expect(" "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if expect(".") {
            var scale: Int64 = 100_000
            let start = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                micros += Int64(bytes[position] - 0x30) * scale
                scale /= 10
                position += 1
            }
            guard position > start else { return nil }
        }
        _ = expect("Z")
        var offsetSeconds: Int64 = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(2) else { return nil }
            _ = expect(":")
            guard let minutes = number(2) else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard position == bytes.count else { return nil }
        let seconds = CivilDate.toDays(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return (seconds - offsetSeconds) * 1_000_000 + micros
    }
}

/// Days since 1970-01-01 to and from a proleptic Gregorian date, by the usual era arithmetic (400-year cycles).
enum CivilDate {
    static func toDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func fromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
