import ArgumentParser
import ClearanceKit
import Foundation

@main
struct ClearanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearance",
        abstract: "Check export orders against export-control rule packs: allow, review or deny, with reasons.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 some line is; 2 nothing was evaluated \
            (unreadable rules or orders, or a usage error) or a report could not be written whole.

            Examples:
              clearance check Samples/orders.csv
              clearance lint --rules Rules/cn-rare-earth
              clearance explain Samples/orders.csv --line 4
            """,
        version: Clearance.version,
        // Every command sets its commandName: ArgumentParser derives a missing one with
        // String(describing:) each time it asks, 22 times a run, 11.6 million instructions
        // before the pack starts loading (callgrind).
        subcommands: [Check.self, Lint.self, Explain.self, TestCommand.self, Licences.self, LedgerCommand.self, WorkloadCommand.self],
        defaultSubcommand: nil)

    /// Runs the command, mapping every usage error to exit 2 (argument-parser's own code is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error as CommandError {
            printError(error.description)
            Foundation.exit(ExitStatus.notEvaluated.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            printError("Run 'clearance --help' for usage.")
            Foundation.exit(ExitStatus.notEvaluated.rawValue)
        }
    }
}

/// An error a command reports itself (already formatted), ending the run with exit 2.
struct CommandError: Error, CustomStringConvertible {
    var description: String
}

/// The input limits, each with a flag and a safe default (see SECURITY.md).
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-rule-file-size"), help: ArgumentHelp("Largest rule or clearance file, in bytes.", valueName: "bytes"))
    var maxRuleFileSize = InputLimits.defaults.maximumRuleFileBytes

    @Option(name: .customLong("max-depth"), help: ArgumentHelp("Deepest YAML or JSON nesting.", valueName: "levels"))
    var maxDepth = InputLimits.defaults.maximumDepth

    @Option(name: .customLong("max-alias-nodes"), help: ArgumentHelp("Most nodes YAML aliases may add to a file.", valueName: "nodes"))
    var maxAliasNodes = InputLimits.defaults.maximumAliasNodes

    @Option(name: .customLong("max-line-length"), help: ArgumentHelp("Longest order record, in bytes.", valueName: "bytes"))
    var maxLineLength = InputLimits.defaults.maximumRecordBytes

    @Option(name: .customLong("max-fields"), help: ArgumentHelp("Most fields in one order record.", valueName: "count"))
    var maxFields = InputLimits.defaults.maximumFields

    @Option(name: .customLong("max-composition"), help: ArgumentHelp("Most elements in one composition.", valueName: "count"))
    var maxComposition = InputLimits.defaults.maximumCompositionElements

    func validate() throws {
        for (name, value) in [
            ("--max-rule-file-size", maxRuleFileSize), ("--max-depth", maxDepth), ("--max-alias-nodes", maxAliasNodes),
            ("--max-line-length", maxLineLength), ("--max-fields", maxFields), ("--max-composition", maxComposition),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    var values: InputLimits {
        var limits = InputLimits()
        limits.maximumRuleFileBytes = maxRuleFileSize
        limits.maximumDepth = maxDepth
        limits.maximumAliasNodes = maxAliasNodes
        limits.maximumRecordBytes = maxLineLength
        limits.maximumFields = maxFields
        limits.maximumCompositionElements = maxComposition
        return limits
    }
}

/// Options shared by the commands that load a pack.
struct PackOptions: ParsableArguments {
    @OptionGroup(title: "Input limits") var limits: LimitOptions

    @Option(
        name: .long,
        help: ArgumentHelp("The rule-pack directory.", discussion: "Default: $CLEARANCE_RULES, else ./Rules.", valueName: "dir"))
    var rules: String?

    var path: String {
        rules ?? ProcessInfo.processInfo.environment["CLEARANCE_RULES"].flatMap { $0.isEmpty ? nil : $0 } ?? "Rules"
    }

    /// Loads the pack or throws the formatted load errors; the pack is kept until the process
    /// exits (`KeptUntilExit`).
    func load() throws -> Pack {
        do {
            let pack = try PackLoader(limits: limits.values).load(path: path)
            KeptUntilExit.keep(pack)
            return pack
        } catch {
            throw CommandError(description: error.description)
        }
    }
}

/// Values that live until the process exits, so that a command does not free them piece by
/// piece on its way out, as compilers skip freeing their trees (`-disable-free`): the W1 pack and
/// its indexes took about 60 ms to free after the last line was written, for nothing.
///
/// Used from the main thread only.
enum KeptUntilExit {
    nonisolated(unsafe) private static var values: [Any] = []

    static func keep(_ value: Any) { values.append(value) }
}

/// Parses a `YYYY-MM-DD` option.
func parseDay(_ text: String, option: String) throws -> Day {
    guard let day = Day(parsing: text) else {
        throw ValidationError("'\(text)' is not a date for \(option); expected YYYY-MM-DD, e.g. 2026-01-15")
    }
    return day
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
