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
        return contiguous.withUTF8 { parse(bytes: $0, text: text) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, text: Substring) -> Result<ExactAmount, Problem> {
        if bytes.isEmpty { return .failure(.empty) }
        // `first` is asked only then: a '-' with a combining mark is not a minus sign.
        if bytes[0] == UInt8(ascii: "-"), text.first == "-" {
            return parseExact(text.dropFirst()).flatMap { _ in .failure(.negative) }
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
            let value = Decimal(sign: .plus, exponent: -digitsAfterPoint, significand: Decimal(significand))
            return .success(ExactAmount(value, nanos: ExactAmount.nanos(significand: significand, decimals: digitsAfterPoint)))
        }
        guard let value = Decimal(string: String(text), locale: posix) else {
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

/// A decimal amount and, when it is known and fits, the same value as a whole number of
/// billionths, so that two amounts compare with one integer comparison: Foundation's decimal
/// comparison (normalising both into allocated integers) cost about 1,000 instructions, 5 % of the
/// time per W1 line.
///
/// Equality and hashing read only the decimal; the billionths are a cache of it.
public struct ExactAmount: Hashable, Comparable, Sendable {
    public let value: Decimal
    /// `value` × 10⁹, when `value` came from a parse that knew it exactly; nil otherwise.
    let nanos: Int64?

    /// An amount without billionths: it compares through `Decimal`.
    public init(_ value: Decimal) {
        self.value = value
        self.nanos = nil
    }

    init(_ value: Decimal, nanos: Int64?) {
        self.value = value
        self.nanos = nanos
    }

    /// Zero, with its billionths.
    public static let zero = ExactAmount(0, nanos: 0)

    /// `significand` × 10^-`decimals` in billionths; nil past 9 decimals or `Int64.max`.
    static func nanos(significand: UInt64, decimals: Int) -> Int64? {
        guard decimals >= 0, decimals <= 9, significand <= UInt64(Int64.max) else { return nil }
        var scaled = Int64(significand)
        for _ in decimals..<9 {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            scaled = product
        }
        return scaled
    }

    /// The amount divided by 1,000 (grams to kilograms).
    func thousandth() -> ExactAmount {
        ExactAmount(Self.shifted(value, by: -3), nanos: nanos.flatMap { $0 % 1000 == 0 ? $0 / 1000 : nil })
    }

    /// The amount times 1,000 (tonnes to kilograms).
    func thousandfold() -> ExactAmount {
        ExactAmount(
            Self.shifted(value, by: 3),
            nanos: nanos.flatMap { nanos in
                let (product, overflow) = nanos.multipliedReportingOverflow(by: 1000)
                return overflow ? nil : product
            })
    }

    /// `value` × 10^`places`, exactly, by moving its decimal exponent: a `Decimal` multiplication
    /// or division by 1,000 cost about 3,000 instructions (a tenth of reading a W1 line in tonnes).
    static func shifted(_ value: Decimal, by places: Int) -> Decimal {
        guard !value.isNaN, (-100...100).contains(value.exponent) else {
            return places > 0 ? value * pow(10, places) : value / pow(10, -places)
        }
        return Decimal(sign: value.sign, exponent: value.exponent + places, significand: value.significand)
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
