import Foundation

/// Strict parsing of the plain decimal numbers used in quantities, money and percentages.
///
/// Only `digits[.digits]` is accepted: no sign, exponent, thousands separator or comma decimal,
/// so that no number is ever read in a way its writer did not mean (contract §10.9).
public enum DecimalNumber {
    /// Why a text is not a plain decimal number.
    public enum Problem: Error, Equatable, Sendable {
        case empty
        case negative
        case notANumber
        case tooManyDigits

        /// A short explanation for messages.
        public var explanation: String {
            switch self {
            case .empty: "no number"
            case .negative: "negative numbers are not allowed"
            case .notANumber: "not a plain decimal number"
            case .tooManyDigits: "more than \(DecimalNumber.maximumDigits) digits"
            }
        }
    }

    /// The fixed locale numbers are read and written in (built once: making a `Locale` is costly).
    public static let posix = Locale(identifier: "en_US_POSIX")

    /// More digits than this cannot be held exactly and are rejected.
    public static let maximumDigits = 30

    /// Parses `text` (already trimmed) as a non-negative decimal number.
    public static func parse(_ text: Substring) -> Result<Decimal, Problem> {
        parseExact(text).map(\.value)
    }

    /// `parse`, with the value in billionths when it fits (for fast comparisons).
    public static func parseExact(_ text: Substring) -> Result<ExactAmount, Problem> {
        // Over the contiguous bytes when the text has them: walking its Unicode scalars cost about
        // 1,000 instructions a number (callgrind, W1). Only ASCII digits and '.' are accepted, so a
        // byte-wise reading takes exactly what a scalar-wise one would.
        var contiguous = text
        return contiguous.withUTF8 { parse(bytes: $0, text: { text }) }
    }

    /// `parseExact` of ASCII bytes (where each byte is a character).
    static func parseExact(ascii bytes: UnsafeBufferPointer<UInt8>) -> Result<ExactAmount, Problem> {
        parse(bytes: bytes, text: { Substring(String(decoding: bytes, as: UTF8.self)) })
    }

    /// - Parameter text: the text of `bytes`, asked for only on the rare paths that need it.
    private static func parse(bytes: UnsafeBufferPointer<UInt8>, text: () -> Substring) -> Result<ExactAmount, Problem> {
        if bytes.isEmpty { return .failure(.empty) }
        // `first` is asked only then: a '-' with a combining mark is not a minus sign.
        if bytes[0] == UInt8(ascii: "-"), text().first == "-" {
            return parseExact(text().dropFirst()).flatMap { _ in .failure(.negative) }
        }
        var digits = 0
        var seenPoint = false
        var digitsAfterPoint = 0
        var significand: UInt64 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits <= 19 { significand = significand &* 10 &+ UInt64(byte &- 48) }
                if seenPoint { digitsAfterPoint += 1 }
            case UInt8(ascii: ".") where !seenPoint && digits > 0:
                seenPoint = true
            default:
                return .failure(.notANumber)
            }
        }
        if digits == 0 || (seenPoint && digitsAfterPoint == 0) { return .failure(.notANumber) }
        if digits > maximumDigits { return .failure(.tooManyDigits) }
        if digits <= 18 {
            // Exact and about 20 times faster than `Decimal(string:)` (W1 benchmark, perf);
            // DecimalNumberTests checks both agree.
            if let nanos = ExactAmount.nanos(significand: significand, decimals: digitsAfterPoint) {
                return .success(ExactAmount(nanos: nanos))
            }
            return .success(ExactAmount(Decimal(sign: .plus, exponent: -digitsAfterPoint, significand: Decimal(significand))))
        }
        guard let value = Decimal(string: String(text()), locale: posix) else {
            return .failure(.notANumber)
        }
        return .success(ExactAmount(value))
    }

    /// Renders a decimal without exponent or locale (`1200`, `2.5`).
    public static func format(_ value: Decimal) -> String {
        var copy = value
        return NSDecimalString(&copy, posix)
    }
}

/// A decimal amount, kept as a whole number of billionths when it is known exactly and fits, so
/// that amounts compare, add and print with integer operations: Foundation's decimal
/// comparison (normalising both into allocated integers) cost about 1,000 instructions, an
/// addition about 2,900 and printing one about 19,000 (callgrind, W1).
///
/// Equality and hashing follow the decimal value, however it is kept.
public struct ExactAmount: Hashable, Comparable, Sendable {
    private enum Storage: Sendable {
        /// The amount × 10⁹.
        case nanos(Int64)
        /// An amount given as a decimal, or one with more than 9 decimals or past `Int64.max`
        /// billionths.
        case decimal(Decimal)
    }

    private let storage: Storage

    /// The amount as a decimal (built when asked for, from the billionths).
    public var value: Decimal {
        switch storage {
        case .nanos(let nanos): Decimal(sign: nanos < 0 ? .minus : .plus, exponent: -9, significand: Decimal(nanos.magnitude))
        case .decimal(let value): value
        }
    }

    /// `value` × 10⁹, when the amount is kept so; nil otherwise.
    var nanos: Int64? {
        if case .nanos(let nanos) = storage { nanos } else { nil }
    }

    /// An amount kept as a decimal: it compares and adds through `Decimal`.
    public init(_ value: Decimal) { storage = .decimal(value) }

    /// An amount of `nanos` billionths.
    init(nanos: Int64) { storage = .nanos(nanos) }

    /// Zero, in billionths.
    public static let zero = ExactAmount(nanos: 0)

    /// `significand` × 10^-`decimals` in billionths; nil past 9 decimals or `Int64.max`.
    static func nanos(significand: UInt64, decimals: Int) -> Int64? {
        guard decimals >= 0, decimals <= 9, significand <= UInt64(Int64.max) else { return nil }
        // One multiplication by a power of ten, not one by ten for each missing decimal (about
        // 50 instructions a W1 amount).
        let (scaled, overflow) = Int64(significand).multipliedReportingOverflow(by: scale(decimals))
        return overflow ? nil : scaled
    }

    /// 10^(9 - decimals), for decimals 0...9: constants, not a table made at run time (whose
    /// every read was a call to check it was made, two a W1 line).
    private static func scale(_ decimals: Int) -> Int64 {
        switch decimals {
        case 0: 1_000_000_000
        case 1: 100_000_000
        case 2: 10_000_000
        case 3: 1_000_000
        case 4: 100_000
        case 5: 10_000
        case 6: 1_000
        case 7: 100
        case 8: 10
        default: 1
        }
    }

    /// The amount divided by 1,000 (grams to kilograms).
    func thousandth() -> ExactAmount {
        if let nanos, nanos % 1000 == 0 { return ExactAmount(nanos: nanos / 1000) }
        return ExactAmount(Self.shifted(value, by: -3))
    }

    /// The amount times 1,000 (tonnes to kilograms).
    func thousandfold() -> ExactAmount {
        if let nanos {
            let (product, overflow) = nanos.multipliedReportingOverflow(by: 1000)
            if !overflow { return ExactAmount(nanos: product) }
        }
        return ExactAmount(Self.shifted(value, by: 3))
    }

    /// `value` × 10^`places`, exactly, by moving its decimal exponent: a `Decimal` multiplication
    /// or division by 1,000 cost about 3,000 instructions (a tenth of reading a W1 line in tonnes).
    static func shifted(_ value: Decimal, by places: Int) -> Decimal {
        guard !value.isNaN, (-100...100).contains(value.exponent) else {
            return places > 0 ? value * pow(10, places) : value / pow(10, -places)
        }
        return Decimal(sign: value.sign, exponent: value.exponent + places, significand: value.significand)
    }

    /// The sum, in billionths unless one side is a decimal or the sum does not fit.
    public static func + (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        if let left = lhs.nanos, let right = rhs.nanos {
            let (sum, overflow) = left.addingReportingOverflow(right)
            if !overflow { return ExactAmount(nanos: sum) }
        }
        return ExactAmount(lhs.value + rhs.value)
    }

    public static func += (lhs: inout ExactAmount, rhs: ExactAmount) { lhs = lhs + rhs }

    /// The difference, in billionths unless one side is a decimal or it does not fit.
    public static func - (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        if let left = lhs.nanos, let right = rhs.nanos {
            let (difference, overflow) = left.subtractingReportingOverflow(right)
            if !overflow { return ExactAmount(nanos: difference) }
        }
        return ExactAmount(lhs.value - rhs.value)
    }

    /// The amount as `DecimalNumber.format` writes it (`1200`, `2.5`), written from the
    /// billionths when it is kept so.
    public var formatted: String {
        guard let nanos else { return DecimalNumber.format(value) }
        let whole = String(nanos.magnitude / 1_000_000_000)
        let sign = nanos < 0 ? "-" : ""
        var fraction = nanos.magnitude % 1_000_000_000
        guard fraction != 0 else { return sign + whole }
        var places = 9
        while fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        let digits = String(fraction)
        return sign + whole + "." + String(repeating: "0", count: places - digits.count) + digits
    }

    public static func == (lhs: ExactAmount, rhs: ExactAmount) -> Bool {
        if let left = lhs.nanos, let right = rhs.nanos { return left == right }
        return lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public static func < (lhs: ExactAmount, rhs: ExactAmount) -> Bool {
        if let left = lhs.nanos, let right = rhs.nanos { return left < right }
        return lhs.value < rhs.value
    }
}
