import ArgumentParser
import ClearanceKit
import ClearanceLedger
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check order files and give each line allow, review or deny.",
        discussion: """
            Order files may be CSV, JSON (an array), JSON Lines or YAML (a list); the format comes from \
            the extension or --input-format. '-' (or no file) reads standard input. Several files are \
            evaluated in order, licence usage carried from one to the next.

            Report formats: text, json, jsonl, csv, sarif, junit, github, markdown. --format picks the \
            one printed on standard output; --report FORMAT=PATH writes more (repeatable).

            Examples:
              clearance check Samples/orders.csv
              clearance check orders.json --format json --fail-on deny
              clearance check Samples/orders.csv --report sarif=clearance.sarif --report junit=clearance.xml
              clearance check orders.csv --clearances signoffs.yaml --strict-clearances
              erp-export | clearance check - --input-format jsonl --format jsonl
            """)

    @Argument(help: ArgumentHelp("Order files ('-' for standard input).", valueName: "orders"))
    var orders: [String] = []

    @OptionGroup var pack: PackOptions

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Evaluate every line as if shipped on this date.", valueName: "yyyy-mm-dd"))
    var asOf: String?

    @Option(help: ArgumentHelp("Report format on standard output (see the list above).", valueName: "format"))
    var format: String = "text"

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write a report: FORMAT=PATH (repeatable).", valueName: "format=path"))
    var reports: [String] = []

    @Option(
        name: .customLong("fail-on"),
        help: ArgumentHelp("Exit 1 when a line is at or above this verdict: review, deny or never.", valueName: "verdict"))
    var failOn: String = "review"

    @Option(name: .customLong("input-format"), help: ArgumentHelp("Order file format: csv, json, jsonl or yaml.", valueName: "format"))
    var inputFormat: String?

    @Option(name: .customLong("clearances"), help: ArgumentHelp("A clearance (sign-off) file (repeatable).", valueName: "file"))
    var clearanceFiles: [String] = []

    @Flag(name: .customLong("strict-clearances"), help: "Exit 1 when a clearance matched nothing, expired, or names an unknown code.")
    var strictClearances = false

    @Option(
        name: .customLong("junit-review"),
        help: ArgumentHelp("JUnit: show review lines as failure or skipped.", valueName: "failure|skipped"))
    var junitReview: String = "failure"

    @Option(help: ArgumentHelp("Write an evidence record (JSON) for auditors.", valueName: "file"))
    var evidence: String?

    @Flag(name: .shortAndLong, help: "List every reason of every line (text format).")
    var verbose = false

    @Option(help: ArgumentHelp("Threads that evaluate lines (default: the number of cores); results never depend on it.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    /// The reports to write: the `--format` one to standard output (path nil), then `--report`s.
    func outputs() throws -> [(reporter: any Reporter.Type, path: String?)] {
        guard let main = Reporters.named(format) else {
            throw ValidationError("unknown format '\(format)'; expected one of: \(Reporters.identifiers.joined(separator: ", "))")
        }
        var outputs: [(any Reporter.Type, String?)] = [(main, nil)]
        for item in reports {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { throw ValidationError("--report '\(item)' is not FORMAT=PATH") }
            guard let reporter = Reporters.named(parts[0]) else {
                throw ValidationError(
                    "unknown format '\(parts[0])' in --report; expected one of: \(Reporters.identifiers.joined(separator: ", "))")
            }
            outputs.append((reporter, parts[1]))
        }
        return outputs
    }

    @Flag(name: .customLong("timings"), help: ArgumentHelp("Print phase timings to standard error (benchmarks).", visibility: .hidden))
    var timings = false

    func validate() throws {
        _ = try outputs()
        guard ["review", "deny", "never"].contains(failOn) else {
            throw ValidationError("unknown --fail-on '\(failOn)'; expected one of: review, deny, never")
        }
        guard ReportOptions.JUnitReview(rawValue: junitReview) != nil else {
            throw ValidationError("unknown --junit-review '\(junitReview)'; expected failure or skipped")
        }
        if let inputFormat, OrderFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; expected one of: csv, json, jsonl, yaml")
        }
        if let asOf { _ = try parseDay(asOf, option: "--as-of") }
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs takes a number from 1 to 256") }
        if orders.isEmpty && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("no order file given; pass a file, or '-' to read standard input")
        }
    }

    func run() throws {
        let started = DispatchTime.now()
        let asOfDay = try asOf.map { try parseDay($0, option: "--as-of") }
        let loaded = try pack.load()
        let clearances: [ManualClearance]
        do {
            clearances = try ClearanceLoader(limits: pack.limits.values).load(paths: clearanceFiles, pack: loaded)
        } catch {
            throw CommandError(description: error.description.replacingOccurrences(of: "in pack '", with: "in clearances '"))
        }
        let options = EvaluationOptions(asOf: asOfDay, today: Clearance.today(), clearances: clearances)
        var committed = LimitLedger()
        if let opened = try ledger.open() {
            // Orders of these files that were recorded already are not counted twice.
            let keys: Set<OrderKey>
            do {
                keys = try SQLiteLedger.orderKeys(
                    files: orders, format: inputFormat.flatMap(OrderFormat.init(rawValue:)), pack: loaded, limits: pack.limits.values)
            } catch {
                throw CommandError(description: error.description + "\nnothing was evaluated")
            }
            committed = try ledgerCall { () throws(LedgerError) in try opened.usage(excluding: keys) }
        }
        let environment = ProcessInfo.processInfo.environment
        let reportOptions = ReportOptions(
            colour: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil, verbose: verbose,
            junitReview: ReportOptions.JUnitReview(rawValue: junitReview) ?? .failure)
        let outputs = try outputs()
        let files = orders.isEmpty ? ["-"] : orders
        let streams = try outputs.map { output in try ReportStream(reporter: output.reporter, path: output.path) }
        let streaming = streams.allSatisfy(\.isStreaming)
        let shell = EvaluationReport(
            pack: loaded, asOf: asOfDay, results: [], namesFiles: files.count > 1, files: files, today: options.today)
        var progress = Progress(enabled: isatty(STDERR_FILENO) == 1 && environment["CI"] == nil)
        let run: (report: EvaluationReport, warnings: [PackWarning])
        // The pack counts as loaded once its indexes are built and the first line could be checked.
        let evaluator = Evaluator(pack: loaded, options: options, ledger: committed)
        KeptUntilExit.keep(evaluator)
        evaluator.markSharedObjectsImmortal(orderFiles: files)
        let loadedAt = DispatchTime.now()
        do {
            run = try Clearance.check(
                evaluator: evaluator, files: files, format: inputFormat.flatMap(OrderFormat.init(rawValue:)),
                limits: pack.limits.values, jobs: jobs,
                keepResults: !streaming, keepOrigins: streams.contains { !$0.isStreaming && $0.reporter.readsOrigins },
                originCells: streams.contains { $0.reporter.readsOrigins }
            ) { batch, firstIndex in
                for stream in streams { stream.lines(batch, firstIndex: firstIndex, shell, options: reportOptions, jobs: jobs) }
                progress.tick(batch.count, batch.last?.file ?? "")
            }
        } catch {
            throw CommandError(description: error.description + "\nnothing was evaluated")
        }
        progress.finish()
        for stream in streams { stream.end(run.report, options: reportOptions) }
        if let failed = streams.first(where: { $0.failure != nil }), let failure = failed.failure {
            throw CommandError(
                description: "error: the \(failed.reporter.identifier) report to \(failed.destination) is incomplete: \(failure)")
        }
        if timings {
            let milliseconds = { (from: DispatchTime, to: DispatchTime) in Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e6 }
            let finished = DispatchTime.now()
            let seconds = milliseconds(loadedAt, finished) / 1000
            printError(
                String(
                    format: "timings: pack load %.1f ms; %d lines checked in %.3f s (%.0f lines/s); total %.3f s",
                    milliseconds(started, loadedAt), run.report.summary.lines, seconds,
                    Double(run.report.summary.lines) / max(seconds, 1e-9),
                    milliseconds(started, finished) / 1000))
        }
        for warning in run.warnings { printError(warning.description) }
        if let summaryPath = environment["GITHUB_STEP_SUMMARY"], !summaryPath.isEmpty,
            outputs.contains(where: { $0.reporter == GitHubReporter.self })
        {
            ReportStream.append(MarkdownReporter.report(run.report, options: reportOptions), to: summaryPath)
        }
        if let evidence {
            var recorded = [
                "format": format, "fail_on": failOn, "input_format": inputFormat ?? "", "rules": pack.path,
                "strict_clearances": String(strictClearances),
            ]
            recorded["reports"] = reports.joined(separator: " ")
            let record = EvidenceRecord(
                report: run.report, pack: loaded, packPath: pack.path, clearanceFiles: clearanceFiles, options: recorded)
            guard FileManager.default.createFile(atPath: evidence, contents: Data(record.json.utf8)) else {
                throw CommandError(description: "error: cannot write the evidence record to '\(evidence)'")
            }
        }
        let threshold: Verdict? = failOn == "never" ? nil : failOn == "deny" ? .deny : .review
        if let threshold, let worst = run.report.summary.worst, worst >= threshold {
            throw ExitStatus.failOn.exitCode
        }
        if strictClearances && !run.warnings.isEmpty { throw ExitStatus.failOn.exitCode }
    }
}

/// Where one report goes: standard output or a file; streaming reporters write as lines come,
/// through a buffer (one system call per megabyte, not per line).
final class ReportStream {
    let reporter: any Reporter.Type
    /// The reporter, when it streams.
    private let streaming: (any StreamingReporter.Type)?
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    var isStreaming: Bool { streaming != nil }

    /// Where the report goes, as messages name it.
    let destination: String
    /// Why writing failed, if it did: the report is then incomplete.
    private(set) var failure: String?

    init(reporter: any Reporter.Type, path: String?) throws {
        self.reporter = reporter
        streaming = reporter as? any StreamingReporter.Type
        destination = path.map { "'\($0)'" } ?? "standard output"
        if let path {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw CommandError(description: "error: cannot write the \(reporter.identifier) report to '\(path)'\nnothing was evaluated")
            }
        } else {
            descriptor = STDOUT_FILENO
        }
        buffer.reserveCapacity(Self.bufferSize + (64 << 10))
    }

    deinit {
        flush()
        if descriptor != STDOUT_FILENO { close(descriptor) }
    }

    static let bufferSize = 1 << 20
    /// Formatted lines at least this long are written without going through the buffer.
    static let directWriteSize = 16 << 10

    /// Fixed by the first batch; nil until then (so a run that stops on an unreadable order file
    /// prints nothing).
    private var layout: ReportLayout?

    /// Writes what comes before the first line, once, and returns the layout it fixed.
    private func begin(
        _ streaming: any StreamingReporter.Type, firstBatch: [LineResult], _ shell: EvaluationReport, options: ReportOptions
    ) -> ReportLayout {
        if let layout { return layout }
        let (layout, text) = streaming.begin(firstBatch, report: shell, options: options)
        write(text)
        self.layout = layout
        return layout
    }

    /// Formats a batch of results; on `jobs` threads when it is large, joined in input order.
    func lines(_ batch: [LineResult], firstIndex: Int, _ shell: EvaluationReport, options: ReportOptions, jobs: Int) {
        guard let streaming else { return }
        let layout = begin(streaming, firstBatch: batch, shell, options: options)
        let slices = jobs <= 1 || batch.count < 256 ? 1 : jobs * 2
        // Room for the lines as long as the last batch's were on average, and a little more:
        // growing from empty copied each slice's bytes a dozen times (1 % of a W1 line).
        let reserve = bytesPerLine + bytesPerLine / 8
        let parts = Concurrently.map(batch.count, slices: slices) { range in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count * reserve)
            streaming.lines(
                batch[range], firstIndex: firstIndex + range.lowerBound, layout: layout, report: shell, options: options, into: &bytes)
            return bytes
        }
        var written = 0
        for part in parts {
            written += part.count
            // A slice's lines (tens of kilobytes) go out as they are, after what the buffer holds:
            // copied into the buffer they were 1 % of a W1 line's instructions, and a part that
            // overflowed its capacity copied the whole buffer.
            if part.count >= Self.directWriteSize {
                flush()
                writeOut(part)
            } else {
                buffer += part
                if buffer.count >= Self.bufferSize { flush() }
            }
        }
        if !batch.isEmpty { bytesPerLine = max(16, written / batch.count) }
    }

    /// The average length of a report line in the last batch, in bytes.
    private var bytesPerLine = 256

    func end(_ report: EvaluationReport, options: ReportOptions) {
        if let streaming {
            _ = begin(streaming, firstBatch: [], report, options: options)
            write(streaming.footer(report, options: options))
        } else {
            write(reporter.report(report, options: options))
        }
        flush()
    }

    private func write(_ text: String) {
        buffer += text.utf8
        if buffer.count >= Self.bufferSize { flush() }
    }

    /// Writes out the buffer, retrying short writes; a failed write is kept in `failure`, never
    /// passed over.
    func flush() {
        writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` out, retrying short writes; a failed write is kept in `failure`, and nothing
    /// is written after it.
    private func writeOut(_ bytes: [UInt8]) {
        var written = 0
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, failure == nil else { return }
            while written < raw.count {
                let count = Foundation.write(descriptor, base + written, raw.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    failure = count < 0 ? String(cString: strerror(errno)) : "nothing more could be written"
                    return
                }
                written += count
            }
        }
    }

    /// Appends text to a file (the GitHub step summary), creating it if needed.
    static func append(_ text: String, to path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try? handle.close()
    }
}

/// A progress line on standard error for long runs on a terminal; never in CI logs or pipes.
struct Progress {
    let enabled: Bool
    private var count = 0
    private let start = Date()
    private var last = Date()

    init(enabled: Bool) { self.enabled = enabled }

    mutating func tick(_ lines: Int, _ file: String) {
        count += lines
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.25 else { return }
        last = now
        let rate = Double(count) / max(now.timeIntervalSince(start), 0.001)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(count) lines checked (\(Int(rate)) lines/s) — \(file)".utf8))
    }

    func finish() {
        if enabled && count >= 1024 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
