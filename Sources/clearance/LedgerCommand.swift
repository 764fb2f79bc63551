import ArgumentParser
import ClearanceKit
import ClearanceLedger
import Foundation

/// `--ledger PATH`, else `$CLEARANCE_LEDGER`.
struct LedgerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The licence ledger (SQLite; created on first use).", discussion: "Default: $CLEARANCE_LEDGER.", valueName: "path"))
    var ledger: String?

    var path: String? {
        ledger ?? ProcessInfo.processInfo.environment["CLEARANCE_LEDGER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Opens the ledger, or nil when none is named.
    func open() throws -> SQLiteLedger? {
        guard let path else { return nil }
        do {
            return try SQLiteLedger(path: path)
        } catch {
            throw CommandError(description: error.description)
        }
    }

    /// Opens the ledger; naming one is required.
    func require() throws -> SQLiteLedger {
        guard let ledger = try open() else { throw ValidationError("name the ledger with --ledger PATH or CLEARANCE_LEDGER") }
        return ledger
    }
}

/// Parses `--format` for the status tables (text, json or csv).
func parseTableFormat(_ format: String) throws -> Table.Format {
    guard let tableFormat = Table.Format(rawValue: format) else {
        throw ValidationError("unknown format '\(format)'; expected text, json or csv")
    }
    return tableFormat
}

/// Runs a ledger call, turning its error into the command's.
func ledgerCall<T>(_ body: () throws(LedgerError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandError(description: error.description)
    }
}

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Record shipments against licence limits, and show, void and export what was recorded.",
        discussion: """
            The ledger is an SQLite file shared by every run that names it. 'check --ledger' counts its \
            usage against every limit before the lines of the run; 'ledger record' adds the allowed lines \
            of an order file as shipped, in one transaction, so two pipelines can never over-draw a limit.

            Examples:
              clearance ledger record Samples/orders.csv --ledger ledger.sqlite --dry-run
              clearance ledger show --ledger ledger.sqlite --licence CN-GL-2025-0002
              clearance ledger void SO-1008 --reason "order cancelled" --ledger ledger.sqlite
              clearance ledger export --ledger ledger.sqlite > ledger.csv
            """,
        subcommands: [Record.self, Show.self, Void.self, Export.self])

    /// Who writes entries: `--by`, else `$CLEARANCE_USER`, else `$USER`.
    static func recorder(_ given: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        return given ?? environment["CLEARANCE_USER"] ?? environment["USER"] ?? "unknown"
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Evaluate order files and record the allowed lines as shipped.",
            discussion: """
                Lines are evaluated against the committed usage inside one transaction; allowed lines that \
                draw on a licence are recorded, once per supplier and order id. Denied and unresolved review \
                lines are never recorded. Exit 1 when a line was refused, 2 when nothing could be read.
                """)

        @Argument(help: ArgumentHelp("Order files.", valueName: "orders"))
        var orders: [String]

        @OptionGroup var pack: PackOptions
        @OptionGroup var ledger: LedgerOptions

        @Option(name: .customLong("as-of"), help: ArgumentHelp("Record every line as shipped on this date.", valueName: "yyyy-mm-dd"))
        var asOf: String?

        @Option(name: .customLong("input-format"), help: ArgumentHelp("Order file format: csv, json, jsonl or yaml.", valueName: "format"))
        var inputFormat: String?

        @Option(name: .customLong("clearances"), help: ArgumentHelp("Clearance files (repeatable).", valueName: "file"))
        var clearanceFiles: [String] = []

        @Option(help: ArgumentHelp("Who records (default: $CLEARANCE_USER or $USER).", valueName: "name"))
        var by: String?

        @Flag(name: .customLong("dry-run"), help: "Evaluate and show what would be recorded; write nothing.")
        var dryRun = false

        func run() throws {
            let ledger = try ledger.require()
            let loaded = try pack.load()
            let clearances: [ManualClearance]
            do {
                clearances = try ClearanceLoader(limits: pack.limits.values).load(paths: clearanceFiles, pack: loaded)
            } catch {
                throw CommandError(description: error.description)
            }
            let asOfDay = try asOf.map { try parseDay($0, option: "--as-of") }
            var records: [OrderRecord] = []
            do {
                let sources = try orders.map { path throws(OrderReadError) in
                    try OrderSource.records(
                        path: path, format: inputFormat.flatMap(OrderFormat.init(rawValue:)), limits: pack.limits.values)
                }
                for source in sources { records += IteratorSequence(source) }
            } catch {
                throw CommandError(description: error.description + "\nnothing was recorded")
            }
            let pause = ProcessInfo.processInfo.environment["CLEARANCE_LEDGER_PAUSE_BEFORE_COMMIT"].flatMap(Double.init)
            let outcomes = try ledgerCall { () throws(LedgerError) in
                try ledger.record(
                    records, pack: loaded, options: EvaluationOptions(asOf: asOfDay, today: Clearance.today(), clearances: clearances),
                    by: LedgerCommand.recorder(by), dryRun: dryRun
                ) {
                    // Test hook for crash-safety tests: hold the written, uncommitted batch.
                    if let pause {
                        printError("ledger: entries written, committing")
                        Thread.sleep(forTimeInterval: pause)
                    }
                }
            }
            var table = Table(columns: ["line", "id", "verdict", "licence", "action"])
            var refused = 0
            for outcome in outcomes {
                let place = orders.count > 1 ? "\(outcome.record.file):\(outcome.record.line)" : String(outcome.record.line)
                let action: String
                switch outcome.action {
                case .recorded(let ids):
                    action = (dryRun ? "would record entry " : "recorded entry ") + ids.map { "#\($0)" }.joined(separator: ", ")
                case .alreadyRecorded(let ids): action = "already recorded as " + ids.map { "#\($0)" }.joined(separator: ", ")
                case .notRecorded(let why):
                    action = "not recorded: \(why)"
                    if why.isRefusal { refused += 1 }
                }
                table.rows.append([
                    place, outcome.record.id ?? "-", outcome.result?.verdict.name ?? "-", outcome.result?.licence ?? "-", action,
                ])
            }
            print(table.render(.text), terminator: "")
            let written = outcomes.filter { if case .recorded = $0.action { true } else { false } }.count
            print(
                "\(outcomes.count) lines: \(written) \(dryRun ? "would be recorded (dry run: nothing written)" : "recorded"), \(refused) refused, ledger \(ledger.path)"
            )
            if refused > 0 { throw ExitStatus.failOn.exitCode }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Per licence and limit: cap, used, remaining, share used, last shipment.")

        @OptionGroup var pack: PackOptions
        @OptionGroup var ledger: LedgerOptions

        @Option(help: "Only this licence.")
        var licence: String?

        @Option(name: .customLong("as-of"), help: ArgumentHelp("Count shipments up to this date.", valueName: "yyyy-mm-dd"))
        var asOf: String?

        @Option(help: ArgumentHelp("text, json or csv.", valueName: "format"))
        var format: String = "text"

        func run() throws {
            let tableFormat = try parseTableFormat(format)
            let ledger = try ledger.require()
            let loaded = try pack.load()
            if let licence, !loaded.licences.contains(where: { $0.id == licence }) {
                throw ValidationError(
                    "licence '\(licence)' is not in the pack"
                        + (Suggestion.help(for: licence, in: loaded.licences.map(\.id)).map { "; \($0)" } ?? ""))
            }
            let asOfDay = try asOf.map { try parseDay($0, option: "--as-of") }
            let shipments = try ledgerCall { () throws(LedgerError) in try ledger.activeShipments(asOf: asOfDay) }
            print(LedgerReports.usage(pack: loaded, shipments: shipments, licence: licence).render(tableFormat), terminator: "")
        }
    }

    struct Void: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "void",
            abstract: "Reverse the recorded shipments of an order (a cancelled order), with an audit entry; nothing is deleted.")

        @Argument(help: ArgumentHelp("The order id.", valueName: "order-id"))
        var orderID: String

        @Option(help: "Why (required, kept for auditors).")
        var reason: String

        @Option(help: "The supplier party id, when several suppliers recorded the same order id.")
        var supplier: String?

        @Option(help: ArgumentHelp("Who voids (default: $CLEARANCE_USER or $USER).", valueName: "name"))
        var by: String?

        @OptionGroup var ledger: LedgerOptions

        func run() throws {
            let ledger = try ledger.require()
            let voids = try ledgerCall { () throws(LedgerError) in
                try ledger.void(orderID: orderID, supplier: supplier, reason: reason, by: LedgerCommand.recorder(by))
            }
            for entry in voids {
                print("voided entry #\(entry.voids ?? 0) (\(entry.supplier) \(entry.orderID) on \(entry.licence)) with entry #\(entry.id)")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Every ledger entry as CSV for auditors (or --format json).")

        @OptionGroup var ledger: LedgerOptions

        @Option(help: ArgumentHelp("csv or json.", valueName: "format"))
        var format: String = "csv"

        func run() throws {
            guard let tableFormat = Table.Format(rawValue: format), tableFormat != .text else {
                throw ValidationError("unknown format '\(format)'; expected csv or json")
            }
            let ledger = try ledger.require()
            let entries = try ledgerCall { () throws(LedgerError) in try ledger.entries() }
            print(LedgerReports.export(entries).render(tableFormat), terminator: "")
        }
    }
}

struct Licences: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licences",
        abstract: "Every licence of the pack: validity, days left, status, scope and usage, with what needs attention.",
        discussion: """
            Flags licences that expire within --expiring-within days, are over 90% used on a limit, or \
            cover nothing on the day because their categories are suspended or not in effect.

            Examples:
              clearance licences
              clearance licences --ledger ledger.sqlite --as-of 2026-11-11 --format csv
            """)

    @OptionGroup var pack: PackOptions
    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to report on (default: today).", valueName: "yyyy-mm-dd"))
    var asOf: String?

    @Option(name: .customLong("expiring-within"), help: ArgumentHelp("Flag licences ending within this many days.", valueName: "days"))
    var expiringWithin: Int = 30

    @Option(help: ArgumentHelp("text, json or csv.", valueName: "format"))
    var format: String = "text"

    func run() throws {
        let tableFormat = try parseTableFormat(format)
        let loaded = try pack.load()
        let day = try asOf.map { try parseDay($0, option: "--as-of") } ?? Clearance.today()
        let usage =
            try ledger.open().map { ledger in try ledgerCall { () throws(LedgerError) in try ledger.usage(asOf: day) } } ?? LimitLedger()
        print(
            LicenceStatusReport.table(pack: loaded, day: day, usage: usage, expiringWithin: expiringWithin).render(tableFormat),
            terminator: "")
    }
}
