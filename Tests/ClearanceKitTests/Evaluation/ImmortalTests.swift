import Testing

@testable import ClearanceKit

@Suite("Immortal objects")
struct ImmortalTests {
    /// Counts its deinitialisations.
    final class Counted: @unchecked Sendable {
        let onDeinit: () -> Void
        init(onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
        deinit { onDeinit() }
    }

    @Test("an object marked immortal is never freed once its references are gone; an unmarked one is")
    func markedObjectsAreNotFreed() {
        var freed: [String] = []
        do {
            let marked = Counted { freed.append("marked") }
            let unmarked = Counted { freed.append("unmarked") }
            Immortal.mark(marked)
            // Retained and released while immortal: still alive after.
            let copies = [marked, marked]
            #expect(copies.count == 2)
            _ = unmarked
        }
        #expect(freed == ["unmarked"])
    }

    #if os(Linux) && arch(x86_64)
        @Test("a long string made at run time has storage of its own, counted with its copies; marked, the count stops")
        func markedStrings() throws {
            // Short and literal strings have none to mark.
            #expect(Immortal.storage(of: "SO-1") == nil)
            #expect(Immortal.storage(of: "/a/literal/path/longer/than/fifteen/bytes.csv") == nil)
            let name = ["orders", "2026", "december", "book.csv"].joined(separator: "/") + String(repeating: "x", count: 20)
            let storage = try #require(Immortal.storage(of: name))
            // The object found is the string's: each copy the array holds retains it.
            let before = _getRetainCount(storage)
            var copies = Array(repeating: name, count: 3)
            #expect(_getRetainCount(storage) == before + 3)
            Immortal.mark(string: name)
            // Immortal: copies no longer count.
            let marked = _getRetainCount(storage)
            copies += [name, name]
            #expect(_getRetainCount(storage) == marked)
            #expect(copies.allSatisfy { $0 == name } && copies[4].hasSuffix("book.csvxxxxxxxxxxxxxxxxxxxx"))
        }
    #endif
}
