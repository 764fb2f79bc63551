import Foundation
import Testing

@testable import ClearanceKit

/// The fast paths (category index, covered-licence shortcut, pipelined batches) against the
/// plain ones, on a generated W1-shaped workload with limits that run out.
@Suite("Generated workload equivalence")
struct WorkloadEquivalenceTests {
    /// A small W1: few customers per licence, so that per-customer limits are reached.
    static let workload = Result { () throws -> (pack: Pack, orders: String) in
        let directory = try TestWorkload.write(
            lines: 5_000, parties: 400, suppliers: 12, products: 120, categories: 12, licences: 40, customersPerLicence: 2,
            listedParties: 20, seed: 7)
        return (
            try PackLoader().load(path: directory.appendingPathComponent("pack").path), directory.appendingPathComponent("orders.csv").path
        )
    }

    /// The workload's pack and its order file's records, read whole.
    static func packAndRecords() throws -> (pack: Pack, records: [OrderRecord]) {
        let (pack, orders) = try workload.get()
        return (pack, Array(IteratorSequence(try OrderSource.records(path: orders, format: .csv))))
    }

    static func json(_ results: [LineResult]) -> String {
        var writer = JSONWriter(pretty: false)
        for result in results { ReportJSON.write(result, namesFile: false, into: &writer) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("every line gets the same result as the fully traced evaluation (all categories, every licence check built)")
    func fastPathsMatchTracedEvaluation() throws {
        let (pack, records) = try Self.packAndRecords()
        var fast = Evaluator(pack: pack)
        var traced = Evaluator(pack: pack)
        var fastResults: [LineResult] = []
        var tracedResults: [LineResult] = []
        for record in records {
            fastResults.append(fast.evaluate(record))
            tracedResults.append(traced.explain(record).0)
        }
        #expect(Self.json(fastResults) == Self.json(tracedResults))
        // The workload reaches what it is meant to: limits, conditions, lists, input errors.
        let codes = Set(fastResults.flatMap { $0.reasons.map(\.code) })
        for code in [ReasonCode.licenceLimit, .licenceCondition, .listedParty, .inputError, .covered, .noLicence, .prohibited] {
            #expect(codes.contains(code), "no \(code.rawValue) reason in the workload")
        }
        // Every kind of cover plan that `prepare` makes is compared above, a limit-only plan whose
        // limits ran out (a fall back to assessing every licence in `complete`) included.
        var kinds: [String: Int] = [:]
        var replayed = Evaluator(pack: pack)
        for record in records {
            let prepared = replayed.prepare(record)
            let result = replayed.complete(prepared)
            for plan in prepared.plans {
                switch plan {
                case .decided: kinds["decided", default: 0] += 1
                case .open: kinds["open", default: 0] += 1
                case .limits:
                    let limited = result.reasons.contains { $0.code == .licenceLimit || $0.code == .noLicence }
                    kinds[limited ? "limits ran out" : "limits", default: 0] += 1
                }
            }
        }
        for kind in ["decided", "open", "limits", "limits ran out"] {
            #expect(kinds[kind, default: 0] > 0, "no '\(kind)' cover plan in the workload: \(kinds)")
        }
    }

    @Test("a check whose caches no longer cache customers and end users resolves them from look-ups made ahead, as line by line")
    func lookaheadMatchesLineByLine() throws {
        let (pack, orders) = try Self.workload.get()
        var evaluator = Evaluator(pack: pack)
        let lineByLine = try OrderSource.records(path: orders, format: .csv).map { evaluator.evaluate($0) }
        // A pool whose one cache has stopped caching both fields (none of its spellings repeat).
        let caches = ResolutionCache.Pool()
        let resolver = Evaluator(pack: pack).partyResolver
        caches.withCache { cache in
            for index in 0..<5_000 {
                _ = cache.customer.resolve("Customer \(index)", with: resolver)
                _ = cache.endUser.resolve("End user \(index)", with: resolver)
            }
            #expect(!cache.customer.caching && !cache.endUser.caching)
        }
        let run = try Clearance.check(
            evaluator: Evaluator(pack: pack), files: [orders], format: nil, jobs: 1, caches: caches)
        #expect(run.report.results.count == lineByLine.count)
        let firstDifference = zip(run.report.results, lineByLine).first { Self.json([$0]) != Self.json([$1]) }
        #expect(firstDifference == nil, "line \(firstDifference?.0.line ?? 0) differs")
        // Customers were answered from the look-ups (the count runs across slices).
        caches.withCache { cache in #expect(cache.customer.ahead.answered > 0) }
    }

    @Test("a check in batches (decoded, joined with the pack and prepared phase by phase) gives what evaluating line by line gives")
    func batchesMatchLineByLine() throws {
        let (pack, orders) = try Self.workload.get()
        var evaluator = Evaluator(pack: pack)
        let lineByLine = try OrderSource.records(path: orders, format: .csv).map { evaluator.evaluate($0) }
        let run = try Clearance.check(pack: pack, files: [orders], format: nil, options: EvaluationOptions(), jobs: 1)
        #expect(run.report.results.count == lineByLine.count)
        // The first line that differs, not the whole report, when they do.
        let firstDifference = zip(run.report.results, lineByLine).first { Self.json([$0]) != Self.json([$1]) }
        #expect(firstDifference == nil, "line \(firstDifference?.0.line ?? 0) differs")
    }

    @Test("completing a prepared line by taking its parts gives what completing a copy gives, and a copy leaves the line whole")
    func takingMatchesCopying() throws {
        let (pack, records) = try Self.packAndRecords()
        var copying = Evaluator(pack: pack)
        var again = Evaluator(pack: pack)
        var taking = Evaluator(pack: pack)
        var (copied, repeated, taken): ([LineResult], [LineResult], [LineResult]) = ([], [], [])
        for record in records {
            let prepared = copying.prepare(record)
            copied.append(copying.complete(prepared))
            // The public `complete` copies: the same line completed again (on an evaluator with
            // the same usage) gives the same result.
            repeated.append(again.complete(prepared))
            taken.append(taking.complete(taking: taking.prepare(record)))
        }
        #expect(Self.json(copied) == Self.json(repeated))
        #expect(Self.json(copied) == Self.json(taken))
        #expect(copied.map(\.origin.line) == taken.map(\.origin.line))
    }

    @Test("a line that reads no usage gives the same result completed before the run as in order; the workload has both kinds")
    func usageFreeLinesCompleteAnywhere() throws {
        let (pack, records) = try Self.packAndRecords()
        let beforeTheRun = Evaluator(pack: pack)
        var inOrder = Evaluator(pack: pack)
        var (free, reading) = (0, 0)
        for record in records {
            let prepared = inOrder.prepare(record)
            guard inOrder.completesWithoutUsage(prepared) else {
                reading += 1
                _ = inOrder.complete(prepared)
                continue
            }
            free += 1
            // As a preparing thread completes it: with a copy that has seen no usage.
            var early = beforeTheRun
            let result = early.complete(prepared)
            #expect(Self.json([result]) == Self.json([inOrder.complete(prepared)]), "line \(record.line)")
        }
        #expect(free > 0 && reading > 0, "usage-free \(free), reading usage \(reading)")
        // Clearances record their use: with any, every line is completed in order.
        let clearance = ManualClearance(
            id: "CLR-1", orders: ["SO-1"], condition: nil, clears: ["rule"], by: "test", on: Day(ordinal: 0), expires: nil, note: nil,
            source: SourceLocation(file: "clearances.yaml", line: 1, column: 1))
        let clearing = Evaluator(pack: pack, options: EvaluationOptions(clearances: [clearance]))
        #expect(!records.prefix(200).contains { clearing.completesWithoutUsage(clearing.prepare($0)) })
    }

    @Test("a record that could not be read is never evaluated, whatever facts it is prepared with")
    func unreadableRecordIgnoresFacts() throws {
        let (pack, records) = try Self.packAndRecords()
        let evaluator = Evaluator(pack: pack)
        let good = try #require(records.first { $0.problems.isEmpty && $0.order != nil })
        var broken = good
        broken.problems = [InputProblem(field: "quantity", message: "quantity 'x' is not a number")]
        let prepared = evaluator.prepare(broken, facts: evaluator.facts(of: good))
        #expect(prepared.facts == nil)
        #expect(prepared.reasons.map(\.code).contains(.inputError))
        #expect(evaluator.facts(of: broken) == nil)
        // The same in a batch, prepared phase by phase, next to a good line.
        let pair = UnsafeMutableBufferPointer<OrderRecord>.allocate(capacity: 2)
        let facts = UnsafeMutableBufferPointer<LineFacts?>.allocate(capacity: 2)
        defer {
            pair.deallocate()
            facts.deallocate()
        }
        _ = pair.initialize(from: [broken, good])
        _ = facts.initialize(from: [evaluator.facts(of: good), evaluator.facts(of: good)])
        var batch: [PreparedLine] = []
        evaluator.prepare(moving: pair, facts: facts) { index, parts in
            #expect(index == batch.count)
            batch.append(PreparedLine(parts))
        }
        #expect(batch.map { $0.facts == nil } == [true, false])
        #expect(batch[0].reasons.map(\.code) == prepared.reasons.map(\.code))
        #expect(batch[1].reasons.map(\.code) == evaluator.prepare(good).reasons.map(\.code))
    }

    @Test("parallel and sequential checks write the same JSON report byte for byte", arguments: [2, 8])
    func jobsGiveTheSameBytes(jobs: Int) throws {
        let (pack, orders) = try Self.workload.get()
        func report(jobs: Int) throws -> String {
            let options = EvaluationOptions(today: Day(parsing: "2026-11-27"))
            let run = try Clearance.check(pack: pack, files: [orders], format: nil, options: options, jobs: jobs)
            return JSONReporter.report(run.report, options: ReportOptions())
        }
        let sequential = try report(jobs: 1)
        #expect(sequential.contains("\"code\" : \"licence-limit\""))
        #expect(try report(jobs: jobs) == sequential)
    }

    @Test("an evaluator whose shared objects are immortal writes the same report, on two threads (the pack lives until exit)")
    func immortalObjectsGiveTheSameBytes() throws {
        let (pack, orders) = try Self.workload.get()
        let options = EvaluationOptions(today: Day(parsing: "2026-11-27"))
        let plain = try Clearance.check(pack: pack, files: [orders], format: nil, options: options, jobs: 1)
        let evaluator = Evaluator(pack: pack, options: options)
        evaluator.markSharedObjectsImmortal()
        let marked = try Clearance.check(evaluator: evaluator, files: [orders], format: nil, jobs: 2)
        #expect(JSONReporter.report(marked.report, options: ReportOptions()) == JSONReporter.report(plain.report, options: ReportOptions()))
    }
}
