extension Array where Element: Comparable {
    /// Whether this array, sorted in ascending order, holds `value`: a binary search, for the
    /// small sorted tables read on every line (legal forms, a licence's register numbers) where
    /// hashing cost more than a few comparisons.
    func sortedContains(_ value: Element) -> Bool {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}
