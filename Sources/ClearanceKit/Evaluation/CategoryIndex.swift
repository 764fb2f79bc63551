/// Finds the categories that can apply to a line's HS code without evaluating the others.
///
/// A category whose condition is, or is an `all` that contains, an `hs_code: {prefix: […]}`
/// test is false for a line whose HS code has none of those prefixes, so it is skipped; the
/// others (and every category when the line has no HS code) are evaluated as written.
struct CategoryIndex: Sendable {
    /// Category positions by HS prefix.
    private let byPrefix: [String: [Int]]
    /// Positions of the categories without a required prefix.
    private let unfiltered: [Int]
    private let count: Int

    init(categories: [Category]) {
        var byPrefix: [String: [Int]] = [:]
        var unfiltered: [Int] = []
        for (position, category) in categories.enumerated() {
            guard let prefixes = Self.requiredPrefixes(category.condition) else {
                unfiltered.append(position)
                continue
            }
            for prefix in Set(prefixes) { byPrefix[prefix, default: []].append(position) }
        }
        self.byPrefix = byPrefix
        self.unfiltered = unfiltered
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

    /// The positions, ascending, of the categories that may apply to a line with `hsCode`.
    func candidates(hsCode: String?) -> [Int] {
        guard let hsCode else { return Array(0..<count) }
        var positions = unfiltered
        var prefix = ""
        for character in hsCode {
            prefix.append(character)
            if let found = byPrefix[prefix] { positions += found }
        }
        // An empty prefix matches every code.
        if let found = byPrefix[""] { positions += found }
        return positions.count > 1 ? Array(Set(positions)).sorted() : positions
    }
}
