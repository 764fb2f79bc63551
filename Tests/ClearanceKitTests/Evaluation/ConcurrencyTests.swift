import Foundation
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

    @Test("Concurrently.fill gives each index what its slice wrote there, for any number of slices", arguments: [0, 1, 2, 7, 100])
    func concurrentlyFill(count: Int) {
        for slices in [1, 2, 3, 8, 200] {
            // Strings, so that an element left unwritten or written twice would not pass unseen.
            let filled = Concurrently.fill(count, slices: slices) { range, output in
                for index in range { output.initializeElement(at: index, to: "line \(index)") }
            }
            #expect(filled == (0..<count).map { "line \($0)" }, "count \(count), slices \(slices)")
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

    @Test("a memoized reason written on many threads at once: every thread writes the same bytes, and one compact form is kept")
    func memoizedReasonOnManyThreads() {
        for round in 0..<50 {
            let reason = Reason(
                verdict: .allow, code: .covered, rule: "L\(round)", message: "covered by licence L\(round) for category C1",
                source: SourceLocation(file: "licences.yaml", line: round + 1, column: 5)
            ).memoizingReports()
            let expected = ReportJSON.writeForTest(
                Reason(verdict: reason.verdict, code: reason.code, rule: reason.rule, message: reason.message, source: reason.source))
            let written = Locked([String]())
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                let bytes = ReportJSON.writeForTest(reason)
                written.withLock { $0.append(bytes) }
            }
            #expect(written.withLock { $0 } == Array(repeating: expected, count: 8), "round \(round)")
            #expect(reason.reportMemo?.count == 1)
        }
    }

    @Test("Locked: changes made on many threads at once are all kept, one at a time")
    func locked() {
        let counter = Locked((count: 0, log: [Int]()))
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<2_000 {
                // A read, then a write that depends on it: without the lock, threads overwrite
                // each other's counts and the log's appends.
                counter.withLock { state in
                    state.count = state.count + 1
                    if step % 500 == 0 { state.log.append(thread) }
                }
            }
        }
        #expect(counter.withLock { $0.count } == 16_000)
        #expect(counter.withLock { $0.log.sorted() } == (0..<8).flatMap { Array(repeating: $0, count: 4) })
    }

    final class Token: Sendable {}

    @Test("Background.take hands the result over: the caller's copy is the last reference")
    func backgroundTake() {
        let task = Background { Token() }
        var token = task.value
        #expect(!isKnownUniquelyReferenced(&token))
        var taken = task.take()
        #expect(taken === token)
        token = Token()
        #expect(isKnownUniquelyReferenced(&taken))
    }

    /// A pending record whose file name is a string of its own (freed with the record).
    static func pending(line: Int) -> PendingRecord {
        let file = "orders-\(line)-\(String(repeating: "x", count: 20)).csv"
        return PendingRecord(OrderRecord(file: file, line: line, id: nil, order: nil, problems: []))
    }

    @Test("PendingBatch: records taken on several threads come out once each, in order; the rest are freed with the batch")
    func pendingBatch() {
        let batch = PendingBatch(capacity: 1_000)
        for line in 0..<900 { batch.append(Self.pending(line: line)) }
        #expect(batch.count == 900)
        // Every second slice takes its records; the others are left to the batch's deinit.
        let lines = Concurrently.map(600, slices: 6) { range in
            range.lowerBound / 100 % 2 == 0 ? range.map { batch.take($0).decode().line } : []
        }
        #expect(lines.flatMap { $0 } == [0..<100, 200..<300, 400..<500].flatMap { Array($0) })
    }
}

extension ReportJSON {
    /// A reason's compact JSON object, as a report writes it.
    static func writeForTest(_ reason: Reason) -> String {
        var writer = JSONWriter(pretty: false)
        write(reason, into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
