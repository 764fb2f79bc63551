import ArgumentParser
import ClearanceKit
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check order files and give each line allow, review or deny.",
        discussion: """
            Order files may be CSV, JSON (an array), JSON Lines or YAML (a list); the format comes from
            the extension or --input-format. '-' (or no file) reads standard input. Several files are
            evaluated in order, licence usage carried from one to the next.

            Examples:
              clearance check Samples/orders.csv
              clearance check orders.json --format json --fail-on deny
              clearance check --rules Rules/cn-rare-earth --as-of 2026-11-11 Samples/orders.csv
              erp-export | clearance check - --input-format jsonl --format json
            """)

    @Argument(help: ArgumentHelp("Order files ('-' for standard input).", valueName: "orders"))
    var orders: [String] = []

    @OptionGroup var pack: PackOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate every line as if shipped on this date.", valueName: "yyyy-mm-dd"))
    var asOf: String?

    @Option(help: ArgumentHelp("Report format: text or json.", valueName: "format"))
    var format: String = "text"

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Exit 1 when a line is at or above this verdict: review, deny or never.", valueName: "verdict"))
    var failOn: String = "review"

    @Option(name: .customLong("input-format"), help: ArgumentHelp("Order file format: csv, json, jsonl or yaml.", valueName: "format"))
    var inputFormat: String?

    @Flag(name: .shortAndLong, help: "List every reason of every line (text format).")
    var verbose = false

    func validate() throws {
        guard Reporters.named(format) != nil else {
            throw ValidationError("unknown format '\(format)'; expected one of: \(Reporters.identifiers.joined(separator: ", "))")
        }
        guard ["review", "deny", "never"].contains(failOn) else {
            throw ValidationError("unknown --fail-on '\(failOn)'; expected one of: review, deny, never")
        }
        if let inputFormat, OrderFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; expected one of: csv, json, jsonl, yaml")
        }
        if let asOf { _ = try parseDay(asOf, option: "--as-of") }
        if orders.isEmpty && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("no order file given; pass a file, or '-' to read standard input")
        }
    }

    func run() throws {
        let asOfDay = try asOf.map { try parseDay($0, option: "--as-of") }
        let loaded = try pack.load()
        let options = EvaluationOptions(asOf: asOfDay, today: Clearance.today())
        let report: EvaluationReport
        do {
            report = try Clearance.check(
                pack: loaded, files: orders.isEmpty ? ["-"] : orders, format: inputFormat.flatMap(OrderFormat.init(rawValue:)),
                options: options)
        } catch {
            throw CommandError(description: error.description + "\nnothing was evaluated")
        }
        guard let reporter = Reporters.named(format) else { throw ExitStatus.notEvaluated.exitCode }
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        FileHandle.standardOutput.write(Data(reporter.report(report, options: ReportOptions(colour: colour, verbose: verbose)).utf8))
        let threshold: Verdict? = failOn == "never" ? nil : failOn == "deny" ? .deny : .review
        if let threshold, let worst = report.summary.worst, worst >= threshold {
            throw ExitStatus.failOn.exitCode
        }
    }
}
