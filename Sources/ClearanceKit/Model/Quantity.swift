import Foundation

/// An amount of goods: a mass (normalised to kg) or a count of pieces.
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
    /// What a quantity measures.
    ///
    /// Mass and pieces never compare with each other.
    public enum Dimension: String, Hashable, Sendable {
        case mass
        case pieces
    }

    /// The unit symbols accepted, exactly and in lower case (contract §10.9).
    public static let units = ["g", "kg", "t", "pcs"]

    /// kg for mass, pieces for a count.
    public var amount: Decimal {
        get { exact.value }
        set { exact = ExactAmount(newValue) }
    }
    /// The amount, with its billionths when parsed (for fast comparisons).
    public private(set) var exact: ExactAmount
    public var dimension: Dimension

    public init(amount: Decimal, dimension: Dimension) {
        self.init(exact: ExactAmount(amount), dimension: dimension)
    }

    init(exact: ExactAmount, dimension: Dimension) {
        self.exact = exact
        self.dimension = dimension
    }

    /// Why a text is not a quantity.
    public enum Problem: Error, Equatable, Sendable {
        case number(DecimalNumber.Problem)
        case missingUnit
        case unknownUnit(String)

        public var explanation: String {
            switch self {
            case .number(let problem): problem.explanation
            case .missingUnit: "no unit"
            case .unknownUnit(let unit): "unknown unit '\(unit)'"
            }
        }
    }

    /// Parses `500 kg`, `2.5 t`, `1200 g`, `3000 pcs`.
    public static func parse(_ text: String) -> Result<Quantity, Problem> {
        parse(NumberWithUnit.read(text))
    }

    /// `parse` of the text of ASCII bytes, read without making it a string (other UTF-8 bytes
    /// are read as text).
    static func parse(ascii bytes: UnsafeBufferPointer<UInt8>) -> Result<Quantity, Problem> {
        if let (amount, unit) = NumberWithUnit.common(bytes) {
            // The unit told by its bytes, without a text made of them (about 120 instructions a
            // W1 line, callgrind).
            if let quantity = quantity(amount, unit: unit) { return .success(quantity) }
            return parse((.success(amount), NumberWithUnit.text(unit)))
        }
        return parse(NumberWithUnit.read(ascii: bytes))
    }

    private static func parse(_ reading: NumberWithUnit.Reading) -> Result<Quantity, Problem> {
        let (number, unit) = reading
        let amount: ExactAmount
        switch number {
        case .success(let value): amount = value
        case .failure(let problem): return .failure(.number(problem))
        }
        if unit.isEmpty { return .failure(.missingUnit) }
        return unit.withUTF8InPlace { quantity(amount, unit: $0) }.map(Result.success) ?? .failure(.unknownUnit(unit))
    }

    /// `amount` of the unit whose UTF-8 bytes are `unit` (one of `units`, exactly); nil for any
    /// other unit.
    private static func quantity(_ amount: ExactAmount, unit: UnsafeBufferPointer<UInt8>) -> Quantity? {
        switch NumberWithUnit.key(unit) {
        case NumberWithUnit.key("g"): Quantity(exact: amount.thousandth(), dimension: .mass)
        case NumberWithUnit.key("kg"): Quantity(exact: amount, dimension: .mass)
        case NumberWithUnit.key("t"): Quantity(exact: amount.thousandfold(), dimension: .mass)
        case NumberWithUnit.key("pcs"): Quantity(exact: amount, dimension: .pieces)
        default: nil
        }
    }

    public var description: String {
        "\(exact.formatted) \(dimension == .mass ? "kg" : "pcs")"
    }
}

/// An amount of money in one ISO-4217 currency.
///
/// Currencies are never converted.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var amount: Decimal {
        get { exact.value }
        set { exact = ExactAmount(newValue) }
    }
    /// The amount, with its billionths when parsed (for fast comparisons).
    public private(set) var exact: ExactAmount
    public var currency: String

    public init(amount: Decimal, currency: String) {
        self.init(exact: ExactAmount(amount), currency: currency)
    }

    init(exact: ExactAmount, currency: String) {
        self.exact = exact
        self.currency = currency
    }

    /// Why a text is not an amount of money.
    public enum Problem: Error, Equatable, Sendable {
        case number(DecimalNumber.Problem)
        case missingCurrency
        case unknownCurrency(String)

        public var explanation: String {
            switch self {
            case .number(let problem): problem.explanation
            case .missingCurrency: "no currency"
            case .unknownCurrency(let code): "'\(code)' is not an ISO-4217 currency code"
            }
        }
    }

    /// Parses `1250000 USD`.
    public static func parse(_ text: String) -> Result<Money, Problem> {
        parse(NumberWithUnit.read(text))
    }

    /// `parse` of the text of ASCII bytes, read without making it a string (other UTF-8 bytes
    /// are read as text).
    static func parse(ascii bytes: UnsafeBufferPointer<UInt8>) -> Result<Money, Problem> {
        if let (amount, code) = NumberWithUnit.common(bytes) {
            // A currency found by its bytes, its text made once (`ISOCodes.currency(ascii:)`), as
            // `parse` checks it.
            if let currency = ISOCodes.currency(ascii: code) { return .success(Money(exact: amount, currency: currency)) }
            return parse((.success(amount), NumberWithUnit.text(code)))
        }
        return parse(NumberWithUnit.read(ascii: bytes))
    }

    private static func parse(_ reading: NumberWithUnit.Reading) -> Result<Money, Problem> {
        let (number, code) = reading
        let amount: ExactAmount
        switch number {
        case .success(let value): amount = value
        case .failure(let problem): return .failure(.number(problem))
        }
        if code.isEmpty { return .failure(.missingCurrency) }
        guard ISOCodes.isCurrency(code) else { return .failure(.unknownCurrency(code)) }
        return .success(Money(exact: amount, currency: code))
    }

    public var description: String { "\(exact.formatted) \(currency)" }
}

/// A mass percentage between 0% and 100%.
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The percent value: 2.5 for `2.5%`.
    public var percent: Decimal {
        get { exact.value }
        set { exact = ExactAmount(newValue) }
    }
    /// The percent value, with its billionths when parsed (for fast comparisons).
    public private(set) var exact: ExactAmount

    public init(percent: Decimal) { exact = ExactAmount(percent) }

    init(exact: ExactAmount) { self.exact = exact }

    /// 0%, with its billionths.
    public static let zero = Percentage(exact: .zero)
    private static let hundred = ExactAmount(nanos: 100_000_000_000)

    /// Parses `0.1%` (the `%` is required); nil when it is not a percentage from 0% to 100%.
    public static func parse(_ text: String) -> Percentage? {
        // ASCII text, nearly all of it, is read byte by byte: each `last` of a Substring below
        // walks grapheme clusters (about 1,900 instructions a percentage, callgrind, W1 products).
        // For ASCII the two readings are the same: one byte is one character, and the spaces
        // trimmed are spaces and tabs.
        var contiguous = text
        let ascii = contiguous.withUTF8 { bytes -> (isASCII: Bool, value: Percentage?) in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return (false, nil) }
            let range = bytes.rangeTrimmingSpaces
            guard !range.isEmpty, bytes[range.upperBound - 1] == UInt8(ascii: "%") else { return (true, nil) }
            var end = range.upperBound - 1
            while end > range.lowerBound, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
            let number = UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end])
            guard case .success(let value) = DecimalNumber.parseExact(ascii: number), value <= hundred else { return (true, nil) }
            return (true, Percentage(exact: value))
        }
        return ascii.isASCII ? ascii.value : parseCharacterWise(text)
    }

    /// `parse` character by character, as it reads text that is not ASCII.
    static func parseCharacterWise(_ text: String) -> Percentage? {
        var trimmed = Substring(text.trimmingSpaces)
        guard trimmed.last == "%" else { return nil }
        trimmed = trimmed.dropLast()
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        return fromNumber(trimmed)
    }

    /// Parses a bare number as a percent (`2.5` is 2.5%), as JSON order files may give it.
    public static func fromNumber(_ text: Substring) -> Percentage? {
        guard case .success(let value) = DecimalNumber.parseExact(text), value <= hundred else { return nil }
        return Percentage(exact: value)
    }

    public var description: String { "\(exact.formatted)%" }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.exact < rhs.exact }
}

/// Splits `2.5 t` into the number and the unit, tolerating no space (`2.5t`) or several.
enum NumberWithUnit {
    /// A number, parsed, and the unit written after it.
    typealias Reading = (number: Result<ExactAmount, DecimalNumber.Problem>, unit: String)

    /// The number, parsed, and the unit: what `Quantity` and `Money` read.
    ///
    /// ASCII text is split and parsed over its bytes in one pass: cutting it into substrings
    /// first cost about 800 instructions a value, as much as everything else (callgrind, W1).
    static func read(_ text: String) -> Reading {
        var bytes = text
        if let ascii = bytes.withUTF8(readASCII) { return ascii }
        let (number, unit) = splitCharacters(text)
        return (DecimalNumber.parseExact(number), String(unit))
    }

    /// `read` of the text of ASCII bytes (other UTF-8 bytes are read as text).
    static func read(ascii bytes: UnsafeBufferPointer<UInt8>) -> Reading {
        readASCII(bytes) ?? read(String(decoding: bytes, as: UTF8.self))
    }

    /// `read` over ASCII bytes; nil when a byte is not ASCII.
    private static func readASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Reading? {
        guard let (number, unit) = asciiRanges(bytes) else { return nil }
        let parsed = DecimalNumber.parseExact(ascii: UnsafeBufferPointer(rebasing: bytes[number]))
        return (parsed, text(UnsafeBufferPointer(rebasing: bytes[unit])))
    }

    /// The number and the unit of a quantity or value of the common shape, read in one pass.
    ///
    /// The shape: `digits[.digits]`, at most one space, then one to three ASCII letters (`170 kg`,
    /// `166294 USD`, `2.5t`). Nil for any other text, and for an amount not kept in billionths:
    /// `read` reads those, and reads these the same way (NumberWithUnitTests checks both agree).
    ///
    /// Splitting first (`asciiRanges`) and parsing the number in a second pass was about 550
    /// instructions a value, two a W1 line (callgrind).
    static func common(_ bytes: UnsafeBufferPointer<UInt8>) -> (amount: ExactAmount, unit: UnsafeBufferPointer<UInt8>)? {
        let count = bytes.count
        var (index, significand) = (0, UInt64(0))
        func readDigits() {
            while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                significand = significand &* 10 &+ UInt64(digit)
                index += 1
            }
        }
        readDigits()
        let whole = index
        guard whole > 0 else { return nil }
        var decimals = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            readDigits()
            decimals = index - whole - 1
            guard decimals > 0 else { return nil }
        }
        // Up to 18 digits the significand is exact (as in `DecimalNumber.parseExact`).
        guard whole + decimals <= 18 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard (1...3).contains(count - index) else { return nil }
        guard bytes[index...].allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }) else { return nil }
        guard let nanos = ExactAmount.nanos(significand: significand, decimals: decimals) else { return nil }
        return (ExactAmount(nanos: nanos), UnsafeBufferPointer(rebasing: bytes[index...]))
    }

    /// The text of a unit's ASCII bytes; the units written most are literals: a string made of
    /// a unit's bytes was about 140 instructions (two a W1 line), this comparison a few.
    static func text(_ unit: UnsafeBufferPointer<UInt8>) -> String {
        switch key(unit) {
        case key("t"): return "t"
        case key("g"): return "g"
        case key("kg"): return "kg"
        case key("pcs"): return "pcs"
        case key("USD"): return "USD"
        case key("EUR"): return "EUR"
        case key("CNY"): return "CNY"
        default: return String(decoding: unit, as: UTF8.self)
        }
    }

    /// A unit's bytes (at most three) and their count as one number, to tell units apart without
    /// a string; 0 for more than three bytes.
    @inline(__always)
    static func key(_ unit: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard unit.count <= 3 else { return 0 }
        var key = UInt32(unit.count) << 24
        for index in 0..<unit.count { key |= UInt32(unit[index]) << (8 * UInt32(index)) }
        return key
    }

    /// `key` of a unit's text (up to three ASCII bytes), for the `case`s that compare with it.
    @inline(__always)
    static func key(_ unit: StaticString) -> UInt32 {
        key(UnsafeBufferPointer(start: unit.utf8Start, count: unit.utf8CodeUnitCount))
    }

    /// The number and the unit of any text, character by character.
    static func splitCharacters(_ text: String) -> (number: Substring, unit: Substring) {
        let trimmed = Substring(text.trimmingSpaces)
        if let space = trimmed.lastIndex(where: { $0 == " " || $0 == "\t" }) {
            let number = trimmed[..<space].trimmingSpaces
            return (Substring(number), trimmed[trimmed.index(after: space)...])
        }
        guard let start = trimmed.firstIndex(where: { $0.isLetter }) else { return (trimmed, "") }
        let number = trimmed[..<start].trimmingSpaces
        return (Substring(number), trimmed[start...])
    }

    /// Where `splitCharacters` finds the number and the unit in ASCII bytes (where characters
    /// are bytes, so the result is the same); nil when a byte is not ASCII.
    ///
    /// Over the contiguous bytes: the same search through `utf8`'s indices cost about 1,300
    /// instructions a value (callgrind, W1).
    private static func asciiRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Range<Int>, unit: Range<Int>)? {
        var bits: UInt8 = 0
        for byte in bytes { bits |= byte }
        guard bits < 0x80 else { return nil }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        let trimmed = bytes.rangeTrimmingSpaces
        let (first, end) = (trimmed.lowerBound, trimmed.upperBound)
        guard first < end else { return (bytes.count..<bytes.count, bytes.count..<bytes.count) }
        func trimmedEnd(_ upper: Int) -> Int {
            var index = upper
            while index > first, isSpace(bytes[index - 1]) { index -= 1 }
            return index
        }
        var space = end - 1
        while space >= first, !isSpace(bytes[space]) { space -= 1 }
        if space >= first { return (first..<trimmedEnd(space), space + 1..<end) }
        var start = first
        while start < end, !((bytes[start] | 0x20) >= 0x61 && (bytes[start] | 0x20) <= 0x7A) { start += 1 }
        guard start < end else { return (first..<end, end..<end) }
        return (first..<trimmedEnd(start), start..<end)
    }
}
