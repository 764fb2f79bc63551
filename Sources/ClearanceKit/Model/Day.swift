/// A calendar date (`YYYY-MM-DD`), stored as days since 1970-01-01 for cheap comparison.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    /// Builds a day from its parts; nil when the parts are not a calendar date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = era * 146_097 + doe - 719_468
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else, including impossible dates.
    public init?(parsing text: String) {
        // Over the contiguous bytes: copying them into an array first was half the cost of a
        // date (callgrind, W1).
        var text = text
        guard let day = text.withUTF8(Self.parse) else { return nil }
        self = day
    }

    /// `init(parsing:)` of the text of UTF-8 bytes, read without making it a string.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let day = Self.parse(bytes) else { return nil }
        self = day
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        guard bytes.count == 10, let base = bytes.baseAddress, base[4] == UInt8(ascii: "-"), base[7] == UInt8(ascii: "-") else {
            return nil
        }
        // The eight digits read unrolled, one check for all of them at the end: a loop and an
        // optional for each part was about 130 instructions of a W1 line's 260 here (callgrind).
        var notDigit = false
        func digit(_ index: Int) -> Int {
            let value = base[index] &- UInt8(ascii: "0")
            notDigit = notDigit || value > 9
            return Int(value)
        }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6)
        let day = digit(8) * 10 + digit(9)
        return notDigit ? nil : Day(year: year, month: month, day: day)
    }

    /// The (year, month, day) parts.
    public var parts: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public var description: String {
        let (year, month, day) = parts
        // The ten bytes written in place: padded pieces joined were about 2,700 instructions, and
        // messages name dates often (`since 2026-01-01`, validity windows).
        if (0...9999).contains(year) {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { out in
                func put(_ value: Int, through last: Int, width: Int) {
                    var value = value
                    for index in stride(from: last, to: last - width, by: -1) {
                        out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, through: 3, width: 4)
                put(month, through: 6, width: 2)
                put(day, through: 9, width: 2)
                (out[4], out[7]) = (UInt8(ascii: "-"), UInt8(ascii: "-"))
                return String(decoding: out, as: UTF8.self)
            }
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day { Day(ordinal: ordinal + count) }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// An inclusive range of days; a missing end is open.
public struct DayRange: Hashable, Sendable, CustomStringConvertible {
    public var from: Day?
    public var until: Day?

    public init(from: Day?, until: Day?) {
        self.from = from
        self.until = until
    }

    /// True when `day` lies inside the range, both ends inclusive.
    public func contains(_ day: Day) -> Bool {
        if let from, day < from { return false }
        if let until, day > until { return false }
        return true
    }

    /// True when the two ranges share at least one day.
    public func overlaps(_ other: DayRange) -> Bool {
        if let until, let otherFrom = other.from, until < otherFrom { return false }
        if let from, let otherUntil = other.until, otherUntil < from { return false }
        return true
    }

    /// True when every day of `other` is inside this range.
    public func encloses(_ other: DayRange) -> Bool {
        if let from { guard let otherFrom = other.from, otherFrom >= from else { return false } }
        if let until { guard let otherUntil = other.until, otherUntil <= until else { return false } }
        return true
    }

    public var description: String {
        "\(from.map(String.init(describing:)) ?? "…") to \(until.map(String.init(describing:)) ?? "open end")"
    }
}
