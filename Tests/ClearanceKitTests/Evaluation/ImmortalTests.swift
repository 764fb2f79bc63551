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
}
