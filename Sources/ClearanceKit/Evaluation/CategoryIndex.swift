/// Finds the categories that can apply to a line's HS code without evaluating the others.
///
/// A category whose condition is, or is an `all` that contains, an `hs_code: {prefix: […]}`
/// test is false for a line whose HS code has none of those prefixes, so it is skipped; the
/// others (and every category when the line has no HS code) are evaluated as written.
struct CategoryIndex: Sendable {
    /// Category positions by HS prefix, keyed by `key(digits:)` of the prefix.
    ///
    /// As bits, not arrays: every line retained and released the array of its code's prefix, one
    /// reference count that the threads preparing lines all wrote (`perf`).
    private let byPrefix: [UInt64: PositionSet]
    /// Positions of the categories without a required prefix (or with one that is not digits).
    private let unfiltered: PositionSet
    private let count: Int
    /// Bit n is set when some prefix has n digits: a line's code is looked up only at those
    /// lengths (an HS code has ten digits; W1's prefixes all have six).
    private let lengths: UInt16

    init(categories: [Category]) {
        var byPrefix: [UInt64: PositionSet] = [:]
        var unfiltered = PositionSet(count: categories.count)
        var lengths: UInt16 = 0
        for (position, category) in categories.enumerated() {
            guard let prefixes = Self.requiredPrefixes(category.condition) else {
                unfiltered.insert(position)
                continue
            }
            let keys = prefixes.map { Self.key(Array($0.utf8)) }
            guard keys.allSatisfy({ $0 != nil }) else {
                unfiltered.insert(position)
                continue
            }
            for key in Set(keys.compactMap { $0 }) {
                byPrefix[key, default: PositionSet(count: categories.count)].insert(position)
                lengths |= 1 << (key & 0xF)
            }
        }
        self.byPrefix = byPrefix
        self.unfiltered = unfiltered
        self.lengths = lengths
        count = categories.count
    }

    /// The prefixes one of which the HS code must have for the condition to be true, if any.
    static func requiredPrefixes(_ condition: Condition) -> [String]? {
        switch condition {
        case .leaf(let leaf) where leaf.field == .hsCode && leaf.op == .prefix:
            return leaf.operands.compactMap { if case .text(let prefix) = $0 { prefix } else { nil } }
        case .all(let parts):
            for part in parts { if let prefixes = requiredPrefixes(part) { return prefixes } }
            return nil
        default:
            return nil
        }
    }

    /// An integer naming a string of up to 15 ASCII digits (its value and its length, so that
    /// "085" and "85" differ); nil for anything else.
    static func key(_ digits: some Collection<UInt8>) -> UInt64? {
        guard digits.count <= 15 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
        }
        return value << 4 | UInt64(digits.count)
    }

    /// The positions, ascending, of the categories that may apply to a line with `hsCode`.
    func candidates(hsCode: String?) -> PositionSet {
        guard let hsCode else { return PositionSet(all: count) }
        var positions = unfiltered
        if lengths & 1 != 0, let found = byPrefix[0] { positions.formUnion(found) }  // the empty prefix
        var value: UInt64 = 0
        var length: UInt64 = 0
        for byte in hsCode.utf8 {
            // A longer prefix with a non-digit cannot equal a prefix of digits.
            guard byte >= 0x30, byte <= 0x39, length < 15, lengths >> (length + 1) != 0 else { break }
            value = value * 10 + UInt64(byte - 0x30)
            length += 1
            if lengths & (1 << length) != 0, let found = byPrefix[value << 4 | length] { positions.formUnion(found) }
        }
        return positions
    }
}
