import ClearanceWorkload
import Foundation

/// Small generated workloads (W1's shape, fewer of everything) in fresh directories.
enum TestWorkload {
    /// Writes `pack/` and `orders.csv` into a new directory and returns it.
    static func write(
        lines: Int, parties: Int, suppliers: Int, products: Int, categories: Int, licences: Int, customersPerLicence: Int,
        listedParties: Int, seed: UInt64
    ) throws -> URL {
        var shape = WorkloadShape()
        (shape.lines, shape.parties, shape.suppliers, shape.products) = (lines, parties, suppliers, products)
        (shape.categories, shape.licences, shape.customersPerLicence) = (categories, licences, customersPerLicence)
        (shape.listedParties, shape.seed) = (listedParties, seed)
        let directory = URL(fileURLWithPath: TestPack.directory())
        var generator = WorkloadGenerator(shape: shape)
        try generator.write(to: directory)
        return directory
    }
}
