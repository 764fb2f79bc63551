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
