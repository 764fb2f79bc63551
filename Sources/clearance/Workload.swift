import ArgumentParser
import ClearanceWorkload
import Foundation

/// `clearance workload`: writes a benchmark pack and order file (hidden from normal help).
struct WorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Write a generated benchmark pack and order file (W1 of the performance issue by default).",
        discussion: """
            Writes DIR/pack/*.yaml and DIR/orders.csv. The same seed and sizes give the same bytes.

            Example:
              clearance workload --out /tmp/w1 --lines 1000000
            """,
        shouldDisplay: false)

    @Option(help: ArgumentHelp("Folder to write into.", valueName: "dir"))
    var out: String

    @Option(help: "Order lines.") var lines = WorkloadShape.w1.lines
    @Option(help: "Parties in the register.") var parties = WorkloadShape.w1.parties
    @Option(help: "Suppliers (licence holders) among them.") var suppliers = WorkloadShape.w1.suppliers
    @Option(help: "Products in the catalogue.") var products = WorkloadShape.w1.products
    @Option(help: "Control categories.") var categories = WorkloadShape.w1.categories
    @Option(help: "Licences.") var licences = WorkloadShape.w1.licences
    @Option(name: .customLong("customers-per-licence"), help: "Named customers per licence.")
    var customersPerLicence = WorkloadShape.w1.customersPerLicence
    @Option(help: "Pack-wide rules.") var rules = WorkloadShape.w1.rules
    @Option(name: .customLong("listed-parties"), help: "Parties on restricted lists.") var listedParties = WorkloadShape.w1.listedParties
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func validate() throws {
        guard lines >= 0, suppliers >= 2, parties > suppliers + 10, products >= 8, licences >= 1, categories >= 4, rules >= 0 else {
            throw ValidationError(
                "sizes are too small: need at least 2 suppliers, 8 products, 4 categories and 11 more parties than suppliers")
        }
    }

    func run() throws {
        var shape = WorkloadShape()
        shape.lines = lines
        shape.parties = parties
        shape.suppliers = suppliers
        shape.products = products
        shape.categories = categories
        shape.licences = licences
        shape.customersPerLicence = customersPerLicence
        shape.rules = rules
        shape.listedParties = listedParties
        shape.seed = seed
        var generator = WorkloadGenerator(shape: shape)
        try generator.write(to: URL(fileURLWithPath: out))
    }
}
