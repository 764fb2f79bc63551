import Foundation
import Testing

@testable import ClearanceKit

@Suite("Workload generator")
struct WorkloadGeneratorTests {
    static func generate(seed: UInt64) throws -> URL {
        try TestWorkload.write(
            lines: 500, parties: 120, suppliers: 6, products: 40, categories: 8, licences: 20, customersPerLicence: 5, listedParties: 10,
            seed: seed)
    }

    static func files(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["orders.csv"] + ["pack", "categories", "licences", "lists", "parties", "products", "rules"].map({ "pack/\($0).yaml" })
        {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    @Test("the same seed writes the same bytes; another seed other orders; the pack loads and the lines mix verdicts")
    func deterministic() throws {
        let first = try Self.generate(seed: 3)
        let again = try Self.generate(seed: 3)
        let other = try Self.generate(seed: 4)
        #expect(try Self.files(first) == Self.files(again))
        #expect(try Self.files(first)["orders.csv"] != Self.files(other)["orders.csv"])
        let pack = try PackLoader().load(path: first.appendingPathComponent("pack").path)
        #expect(pack.licences.count == 20)
        let run = try Clearance.check(
            pack: pack, files: [first.appendingPathComponent("orders.csv").path], format: nil, options: EvaluationOptions())
        #expect(run.report.summary.lines == 500)
        #expect(run.report.summary.allow > 150)
        #expect(run.report.summary.review > 20)
        #expect(run.report.summary.deny > 50)
    }
}
