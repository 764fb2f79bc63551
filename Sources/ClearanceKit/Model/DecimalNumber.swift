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
        // Over the contiguous bytes when the text has them: walking its Unicode scalars cost about
        // 1,000 instructions a number (callgrind, W1). Only ASCII digits and '.' are accepted, so a
        // byte-wise reading takes exactly what a scalar-wise one would.
        var contiguous = text
        return contiguous.withUTF8 { parse(bytes: $0, text: text) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, text: Substring) -> Result<Decimal, Problem> {
        if bytes.isEmpty { return .failure(.empty) }
        // `first` is asked only then: a '-' with a combining mark is not a minus sign.
        if bytes[0] == UInt8(ascii: "-"), text.first == "-" {
            return parse(text.dropFirst()).flatMap { _ in .failure(.negative) }
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
            return .success(Decimal(sign: .plus, exponent: -digitsAfterPoint, significand: Decimal(significand)))
        }
        guard let value = Decimal(string: String(text), locale: posix) else {
            return .failure(.notANumber)
        }
        return .success(value)
    }

    /// Renders a decimal without exponent or locale (`1200`, `2.5`).
    public static func format(_ value: Decimal) -> String {
        var copy = value
        return NSDecimalString(&copy, posix)
    }
}
