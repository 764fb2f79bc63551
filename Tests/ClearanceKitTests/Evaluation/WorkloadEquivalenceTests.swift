import ClearanceWorkload
import Foundation
import Testing

@testable import ClearanceKit

/// The fast paths (category index, covered-licence shortcut, pipelined batches) against the
/// plain ones, on a generated W1-shaped workload with limits that run out.
@Suite("Generated workload equivalence")
struct WorkloadEquivalenceTests {
    /// A small W1: few customers per licence, so that per-customer limits are reached.
    static let workload: (pack: Pack, orders: String) = {
        var shape = WorkloadShape()
        shape.lines = 9_000
        shape.parties = 400
        shape.suppliers = 12
        shape.products = 120
        shape.categories = 12
        shape.licences = 40
        shape.customersPerLicence = 2
        shape.listedParties = 20
        shape.seed = 7
        let directory = URL(fileURLWithPath: TestPack.directory())
        var generator = WorkloadGenerator(shape: shape)
        do {
            try generator.write(to: directory)
            return (
                try PackLoader().load(path: directory.appendingPathComponent("pack").path),
                directory.appendingPathComponent("orders.csv").path
            )
        } catch {
            fatalError("the generated workload does not load: \(error)")
        }
    }()

    static func json(_ results: [LineResult]) -> String {
        var writer = JSONWriter(pretty: false)
        for result in results { ReportJSON.write(result, namesFile: false, into: &writer) }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("every line gets the same result as the fully traced evaluation (all categories, every licence check built)")
    func fastPathsMatchTracedEvaluation() throws {
        let (pack, orders) = Self.workload
        let records = Array(IteratorSequence(try OrderSource.records(path: orders, format: .csv)))
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
    }

    @Test("parallel and sequential checks write the same JSON report byte for byte", arguments: [2, 8])
    func jobsGiveTheSameBytes(jobs: Int) throws {
        let (pack, orders) = Self.workload
        func report(jobs: Int) throws -> String {
            let options = EvaluationOptions(today: Day(parsing: "2026-11-27"))
            let run = try Clearance.check(pack: pack, files: [orders], format: nil, options: options, jobs: jobs)
            return JSONReporter.report(run.report, options: ReportOptions())
        }
        let sequential = try report(jobs: 1)
        #expect(sequential.contains("\"code\" : \"licence-limit\""))
        #expect(try report(jobs: jobs) == sequential)
    }
}
