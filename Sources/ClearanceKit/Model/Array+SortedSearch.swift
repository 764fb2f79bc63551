extension Array where Element: Comparable {
    /// Whether this array, sorted in ascending order, holds `value`: a binary search, for the
    /// small sorted tables read on every line (legal forms; a licence's register numbers, see the
    /// `[Int32]` overload) where hashing cost more than a few comparisons.
    func sortedContains(_ value: Element) -> Bool { binarySearchContains(value) }

    /// Whether this sorted array holds `value`, by binary search.
    func binarySearchContains(_ value: Element) -> Bool {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}

extension [Int32] {
    /// `sortedContains` for a licence's register numbers: up to 64 compared eight at a time, in
    /// order of memory, rather than searched.
    ///
    /// A binary search's steps each wait for the load before (a cache miss for a licence's numbers
    /// read by a line) and mispredict half their branches: 1.6 % of a W1 line's time (perf); a scan
    /// loads its few cache lines in one stream.
    func sortedContains(_ value: Int32) -> Bool {
        guard count <= 64 else { return binarySearchContains(value) }
        return withUnsafeBufferPointer { numbers in
            guard let base = numbers.baseAddress else { return false }
            let wanted = SIMD8<Int32>(repeating: value)
            var index = 0
            while index + 8 <= numbers.count {
                let lanes = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD8<Int32>.self)
                if any(lanes .== wanted) { return true }
                index += 8
            }
            while index < numbers.count {
                if numbers[index] == value { return true }
                index += 1
            }
            return false
        }
    }
}
