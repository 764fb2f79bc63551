/// Positions (of categories, rules, a category's candidate licences) as bits, iterated in
/// ascending order; the first 64 kept inline, so that up to 64 allocate nothing per line.
struct PositionSet: Sequence, IteratorProtocol, Sendable {
    private var low: UInt64
    /// The words after the first; nil for up to 64 positions, so that copying a set is copying
    /// two words (the empty array was retained and released at every copy).
    private var high: [UInt64]?
    private var word = 0

    /// None of `count` positions.
    init(count: Int) {
        low = 0
        high = count > 64 ? Array(repeating: 0, count: (count + 63) / 64 - 1) : nil
    }

    /// All of `count` positions.
    init(all count: Int) {
        self.init(count: count)
        for position in 0..<count { insert(position) }
    }

    /// Adds the positions of `other`, a set of as many positions not iterated yet.
    mutating func formUnion(_ other: PositionSet) {
        low |= other.low
        guard let others = other.high else { return }
        for index in others.indices { high?[index] |= others[index] }
    }

    /// Keeps only the positions `other` (a set of as many positions, not iterated yet) has too.
    mutating func formIntersection(_ other: PositionSet) {
        low &= other.low
        guard let others = other.high else { return }
        for index in others.indices { high?[index] &= others[index] }
    }

    /// How many positions are left.
    var count: Int {
        var total = low.nonzeroBitCount
        if let high { for index in word..<high.count { total += high[index].nonzeroBitCount } }
        return total
    }

    /// The first position left.
    var first: Int? {
        var rest = self
        return rest.next()
    }

    mutating func insert(_ positions: [Int]) {
        for position in positions { insert(position) }
    }

    mutating func insert(_ position: Int) {
        if position < 64 { low |= 1 << UInt64(position) } else { insertHigh(position) }
    }

    /// Apart, so that `insert` never touches `high` for the first 64 positions: the compiler made
    /// the (empty, shared) array unique before the loop, an allocation for every call.
    @inline(never)
    private mutating func insertHigh(_ position: Int) {
        high?[(position >> 6) - 1] |= 1 << UInt64(position & 63)
    }

    /// Whether no position is left.
    var isEmpty: Bool {
        guard low == 0 else { return false }
        guard let high else { return true }
        for index in word..<high.count where high[index] != 0 { return false }
        return true
    }

    mutating func next() -> Int? {
        while true {
            if low != 0 {
                let position = word << 6 | low.trailingZeroBitCount
                low &= low - 1
                return position
            }
            guard let high, word < high.count else { return nil }
            low = high[word]
            word += 1
        }
    }
}
