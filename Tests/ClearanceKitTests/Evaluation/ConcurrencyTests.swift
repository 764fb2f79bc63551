import Foundation
import Synchronization
import Testing

@testable import ClearanceKit

@Suite("Concurrency helpers")
struct ConcurrencyTests {
    @Test("Concurrently.map covers every index once, in range order, for any number of slices", arguments: [0, 1, 2, 7, 100])
    func concurrentlyMap(count: Int) {
        for slices in [1, 2, 3, 8, 200] {
            let ranges = Concurrently.map(count, slices: slices) { $0 }
            #expect(ranges.flatMap { Array($0) } == Array(0..<count), "count \(count), slices \(slices)")
            #expect(ranges.count == max(1, min(count, slices)))
        }
    }

    @Test("Background gives the work's result, however long the caller waits")
    func background() {
        let sum = Background { (1...10_000).reduce(0, +) }
        let square = Background { 12 * 12 }
        #expect(square.value == 144)
        #expect(sum.value == 50_005_000)
        #expect(sum.value == 50_005_000)
    }

    /// A count shared between threads.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Counts its deinitialisations.
    final class Tracked: Sendable {
        let freed: Counter

        init(_ freed: Counter) { self.freed = freed }

        deinit { freed.value.add(1, ordering: .relaxed) }
    }

    @Test("Discarded frees what it was given once the caller has let go")
    func discarded() async throws {
        let freed = Counter()
        var objects: [Tracked] = (0..<1_000).map { _ in Tracked(freed) }
        let discarded = Discarded(objects)
        objects = []
        #expect(freed.value.load(ordering: .relaxed) == 0)
        discarded.free()
        for _ in 0..<500 where freed.value.load(ordering: .relaxed) < 1_000 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(freed.value.load(ordering: .relaxed) == 1_000)
    }
}
