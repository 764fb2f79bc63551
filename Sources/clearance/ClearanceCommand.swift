import ArgumentParser
import ClearanceKit
import Foundation

@main
struct ClearanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearance",
        abstract: "Check export orders against export-control rule packs: allow, review or deny, with reasons.",
        discussion: """
            Exit codes: 0 nothing at or above --fail-on; 1 some line is; 2 nothing was evaluated
            (unreadable rules or orders, or a usage error).

            Examples:
              clearance check Samples/orders.csv
              clearance lint --rules Rules/cn-rare-earth
              clearance explain Samples/orders.csv --line 4
            """,
        version: Clearance.version,
        subcommands: [Check.self, Lint.self, Explain.self, TestCommand.self, Licences.self, LedgerCommand.self],
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

/// Options shared by the commands that load a pack.
struct PackOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The rule-pack directory.", discussion: "Default: $CLEARANCE_RULES, else ./Rules.", valueName: "dir"))
    var rules: String?

    var path: String {
        rules ?? ProcessInfo.processInfo.environment["CLEARANCE_RULES"].flatMap { $0.isEmpty ? nil : $0 } ?? "Rules"
    }

    /// Loads the pack or throws the formatted load errors.
    func load() throws -> Pack {
        do {
            return try PackLoader().load(path: path)
        } catch {
            throw CommandError(description: error.description)
        }
    }
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
