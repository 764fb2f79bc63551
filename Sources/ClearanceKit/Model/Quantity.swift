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
    public var amount: Decimal
    public var dimension: Dimension

    public init(amount: Decimal, dimension: Dimension) {
        self.amount = amount
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
        let (number, unit) = NumberWithUnit.split(text)
        if unit.isEmpty {
            if case .failure(let problem) = DecimalNumber.parse(number) { return .failure(.number(problem)) }
            return .failure(.missingUnit)
        }
        let amount: Decimal
        switch DecimalNumber.parse(number) {
        case .success(let value): amount = value
        case .failure(let problem): return .failure(.number(problem))
        }
        switch unit {
        case "g": return .success(Quantity(amount: amount / 1000, dimension: .mass))
        case "kg": return .success(Quantity(amount: amount, dimension: .mass))
        case "t": return .success(Quantity(amount: amount * 1000, dimension: .mass))
        case "pcs": return .success(Quantity(amount: amount, dimension: .pieces))
        default: return .failure(.unknownUnit(String(unit)))
        }
    }

    public var description: String {
        "\(DecimalNumber.format(amount)) \(dimension == .mass ? "kg" : "pcs")"
    }
}

/// An amount of money in one ISO-4217 currency.
///
/// Currencies are never converted.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var amount: Decimal
    public var currency: String

    public init(amount: Decimal, currency: String) {
        self.amount = amount
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
        let (number, currency) = NumberWithUnit.split(text)
        let amount: Decimal
        switch DecimalNumber.parse(number) {
        case .success(let value): amount = value
        case .failure(let problem): return .failure(.number(problem))
        }
        if currency.isEmpty { return .failure(.missingCurrency) }
        guard ISOCodes.currencies.contains(String(currency)) else {
            return .failure(.unknownCurrency(String(currency)))
        }
        return .success(Money(amount: amount, currency: String(currency)))
    }

    public var description: String { "\(DecimalNumber.format(amount)) \(currency)" }
}

/// A mass percentage between 0% and 100%.
public struct Percentage: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The percent value: 2.5 for `2.5%`.
    public var percent: Decimal

    public init(percent: Decimal) { self.percent = percent }

    /// Parses `0.1%` (the `%` is required); nil when it is not a percentage from 0% to 100%.
    public static func parse(_ text: String) -> Percentage? {
        var trimmed = Substring(text.trimmingSpaces)
        guard trimmed.last == "%" else { return nil }
        trimmed = trimmed.dropLast()
        while trimmed.last == " " { trimmed = trimmed.dropLast() }
        return fromNumber(trimmed)
    }

    /// Parses a bare number as a percent (`2.5` is 2.5%), as JSON order files may give it.
    public static func fromNumber(_ text: Substring) -> Percentage? {
        guard case .success(let value) = DecimalNumber.parse(text), value <= 100 else { return nil }
        return Percentage(percent: value)
    }

    public var description: String { "\(DecimalNumber.format(percent))%" }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.percent < rhs.percent }
}

/// Splits `2.5 t` into the number and the unit, tolerating no space (`2.5t`) or several.
enum NumberWithUnit {
    static func split(_ text: String) -> (number: Substring, unit: Substring) {
        splitASCII(text) ?? splitCharacters(text)
    }

    /// `split` for any text, character by character.
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

    /// `split` for ASCII text, byte by byte (where characters are bytes, so the result is the
    /// same); nil for other text.
    static func splitASCII(_ text: String) -> (number: Substring, unit: Substring)? {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return (text[text.endIndex...], text[text.endIndex...])
        }
        let end = utf8.index(after: last)
        func trimmedEnd(_ upper: String.Index) -> String.Index {
            var index = upper
            while index > first, isSpace(utf8[utf8.index(before: index)]) { index = utf8.index(before: index) }
            return index
        }
        if let space = utf8[first..<end].lastIndex(where: isSpace) {
            return (text[first..<trimmedEnd(space)], text[utf8.index(after: space)..<end])
        }
        guard let start = utf8[first..<end].firstIndex(where: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
            return (text[first..<end], text[end..<end])
        }
        return (text[first..<trimmedEnd(start)], text[start..<end])
    }
}
