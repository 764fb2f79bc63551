import ClearanceWorkload
import Testing

@testable import ClearanceKit

@Suite("Sorted search")
struct SortedSearchTests {
    @Test("register numbers are found as a linear search finds them, on both sides of the scan's limit (every size up to 80)")
    func registerNumbers() {
        // Seeded: the same arrays every run.
        var generator = SplitMix64(seed: 7)
        var (found, missed) = (0, 0)
        for size in 0...80 {
            let numbers = Set((0..<size).map { _ in Int32.random(in: -5...400, using: &generator) }).sorted()
            for value in Int32(-8)...Int32(405) {
                let expected = numbers.contains(where: { $0 == value })
                #expect(numbers.sortedContains(value) == expected, "\(value) in \(numbers.count) numbers")
                #expect(numbers.binarySearchContains(value) == expected, "\(value) in \(numbers.count) numbers")
                if expected { found += 1 } else { missed += 1 }
            }
        }
        // Both answers occur, in arrays short and long.
        #expect(found > 1_000 && missed > 1_000)
    }

    @Test("other sorted tables are searched as before")
    func otherElements() {
        let words: [UInt64] = [3, 9, 27, 81]
        #expect(words.sortedContains(27) && !words.sortedContains(28) && !words.sortedContains(0) && !words.sortedContains(82))
    }
}
