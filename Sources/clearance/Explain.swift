import ArgumentParser
import ClearanceKit
import Foundation

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why one shipment gets its verdict: every condition, licence check and rule.",
        discussion: """
            Give the shipment by flags, or name an order file and the line to explain (earlier lines of \
            the file are evaluated first, so licence usage is as 'check' sees it).

            Examples:
              clearance explain --supplier jl-mag --customer bosch --product NDFEB-48H-DY \\
                --quantity "200 kg" --destination DE --end-use automotive --date 2026-01-15
              clearance explain Samples/orders.csv --line 4
            """)

    @Argument(help: ArgumentHelp("An order file; use with --line.", valueName: "orders"))
    var orders: String?

    @Option(help: "The line (as 'check' reports it) to explain.")
    var line: Int?

    @OptionGroup var pack: PackOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate as if shipped on this date.", valueName: "yyyy-mm-dd"))
    var asOf: String?

    @Option(name: .customLong("input-format"), help: ArgumentHelp("Order file format: csv, json, jsonl or yaml.", valueName: "format"))
    var inputFormat: String?

    @Option var id: String?
    @Option var supplier: String?
    @Option var customer: String?
    @Option(name: .customLong("end-user")) var endUser: String?
    @Option var destination: String?
    @Option var product: String?
    @Option(name: .customLong("hs-code")) var hsCode: String?
    @Option(help: ArgumentHelp("An element's share, e.g. Dy=2.5% (repeatable).", valueName: "element=percent"))
    var composition: [String] = []
    @Option(help: ArgumentHelp("A product attribute, e.g. form=magnet (repeatable).", valueName: "name=value"))
    var attribute: [String] = []
    @Option var quantity: String?
    @Option var value: String?
    @Option(name: .customLong("end-use")) var endUse: String?
    @Option var date: String?

    func validate() throws {
        if orders != nil && line == nil { throw ValidationError("name the line to explain with --line N") }
        if orders == nil && line != nil { throw ValidationError("--line needs an order file") }
        if let asOf { _ = try parseDay(asOf, option: "--as-of") }
        if let inputFormat, OrderFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; expected one of: csv, json, jsonl, yaml")
        }
        for item in attribute where !item.contains("=") {
            throw ValidationError("--attribute '\(item)' is not name=value")
        }
    }

    func run() throws {
        let loaded = try pack.load()
        let options = EvaluationOptions(asOf: try asOf.map { try parseDay($0, option: "--as-of") }, today: Clearance.today())
        var evaluator = Evaluator(pack: loaded, options: options)
        let target: OrderRecord
        if let orders, let line {
            let records: AnyIterator<OrderRecord>
            do {
                records = try OrderSource.records(
                    path: orders, format: inputFormat.flatMap(OrderFormat.init(rawValue:)), limits: pack.limits.values)
            } catch {
                throw CommandError(description: error.description)
            }
            var found: OrderRecord?
            for record in IteratorSequence(records) {
                if record.line == line { found = record; break }
                _ = evaluator.evaluate(record)
            }
            guard let found else { throw CommandError(description: "error: no record of '\(orders)' starts on line \(line)") }
            target = found
        } else {
            var fields: [(name: String, text: String)] = []
            let given: [(String, String?)] = [
                ("id", id), ("supplier", supplier), ("customer", customer), ("end_user", endUser), ("destination", destination),
                ("product", product), ("hs_code", hsCode), ("quantity", quantity), ("value", value), ("end_use", endUse), ("date", date),
            ]
            for (name, text) in given { if let text { fields.append((name, text)) } }
            if !composition.isEmpty { fields.append(("composition", composition.joined(separator: ";"))) }
            for item in attribute {
                let parts = item.split(separator: "=", maxSplits: 1)
                fields.append(("attributes.\(parts[0])", parts.count > 1 ? String(parts[1]) : ""))
            }
            target = OrderSource.record(fields: fields, file: "(command line)", line: 1)
        }
        let (result, trace) = evaluator.explain(target)
        print(ExplainReporter.render(result, trace, pack: loaded), terminator: "")
    }
}
