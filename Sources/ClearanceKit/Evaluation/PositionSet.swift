/// Positions (of rules, of a category's candidate licences) as bits, iterated in ascending
/// order; the first 64 kept inline, so that up to 64 allocate nothing per line.
struct PositionSet: Sequence, IteratorProtocol, Sendable {
    private var low: UInt64
    private var high: [UInt64]
    private var word = 0

    /// None of `count` positions.
    init(count: Int) {
        low = 0
        high = Array(repeating: 0, count: Swift.max(0, (count + 63) / 64 - 1))
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
        high[(position >> 6) - 1] |= 1 << UInt64(position & 63)
    }

    /// Whether no position is left.
    var isEmpty: Bool { low == 0 && high[word...].allSatisfy { $0 == 0 } }

    mutating func next() -> Int? {
        while true {
            if low != 0 {
                let position = word << 6 | low.trailingZeroBitCount
                low &= low - 1
                return position
            }
            guard word < high.count else { return nil }
            low = high[word]
            word += 1
        }
    }
}
