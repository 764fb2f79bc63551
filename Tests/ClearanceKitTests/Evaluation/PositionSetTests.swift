import Testing

@testable import ClearanceKit

@Suite("PositionSet")
struct PositionSetTests {
    @Test("iterates the positions put in, once each and ascending, inline and past 64 (1,000 random sets)")
    func positions() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let count = Int.random(in: 0...200, using: &generator)
            var set = PositionSet(count: count)
            #expect(set.isEmpty)
            var expected: Set<Int> = []
            for _ in 0..<Int.random(in: 0...10, using: &generator) where count > 0 {
                let position = Int.random(in: 0..<count, using: &generator)
                if Bool.random(using: &generator) { set.insert(position) } else { set.insert([position, position]) }
                expected.insert(position)
            }
            #expect(set.isEmpty == expected.isEmpty, "count \(count)")
            #expect(Array(set) == expected.sorted(), "count \(count)")
            #expect(set.count == expected.count && set.first == expected.min(), "count \(count)")
        }
    }

    @Test("all, union, count and first agree with a Set of the same positions, inline and past 64 (1,000 random pairs)")
    func unions() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let count = Int.random(in: 0...200, using: &generator)
            #expect(Array(PositionSet(all: count)) == Array(0..<count))
            var (left, right) = (PositionSet(count: count), PositionSet(count: count))
            var expected: Set<Int> = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) where count > 0 {
                let position = Int.random(in: 0..<count, using: &generator)
                if Bool.random(using: &generator) { left.insert(position) } else { right.insert(position) }
                expected.insert(position)
            }
            left.formUnion(right)
            #expect(Array(left) == expected.sorted(), "count \(count)")
            #expect(left.count == expected.count, "count \(count)")
            #expect(left.first == expected.min(), "count \(count)")
            // Iterating takes positions out: what is left is counted.
            _ = left.next()
            #expect(left.count == Swift.max(0, expected.count - 1), "count \(count)")
        }
    }

    @Test("intersection keeps the positions both sets have, inline and past 64 (1,000 random pairs)")
    func intersections() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let count = Int.random(in: 0...200, using: &generator)
            var (left, right) = (PositionSet(count: count), PositionSet(count: count))
            var (inLeft, inRight): (Set<Int>, Set<Int>) = ([], [])
            for _ in 0..<Int.random(in: 0...40, using: &generator) where count > 0 {
                let position = Int.random(in: 0..<count, using: &generator)
                // 0: left only, 1: right only, 2: both.
                let side = Int.random(in: 0..<3, using: &generator)
                if side != 1 {
                    left.insert(position)
                    inLeft.insert(position)
                }
                if side != 0 {
                    right.insert(position)
                    inRight.insert(position)
                }
            }
            left.formIntersection(right)
            #expect(Array(left) == inLeft.intersection(inRight).sorted(), "count \(count)")
        }
    }
}

@Suite("InlineFirstList")
struct InlineFirstListTests {
    @Test("holds what is appended, in order, whether it is one element (inline) or more (1,000 random lists)")
    func appends() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let elements = (0..<Int.random(in: 0...6, using: &generator)).map { _ in "licence \(Int.random(in: 0...99, using: &generator))"
            }
            var list = InlineFirstList<String>()
            for element in elements { list.append(element) }
            #expect(Array(list) == elements)
            #expect(list.count == elements.count)
            #expect(list.first == elements.first)
            #expect(Array(InlineFirstList(elements)) == elements)
            #expect(InlineFirstList(elements).count == elements.count)
        }
    }
}
