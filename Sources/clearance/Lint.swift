import ArgumentParser
import ClearanceKit
import Foundation

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Load and validate a rule pack; print every error and warning with its position.",
        discussion: """
            Errors and warnings print as 'path:line:col: error: [code] message' with 'expected:' and \
            'help:' lines, sorted by position. Exit 2 on errors, 1 on warnings with --strict, else 0.

            Examples:
              clearance lint
              clearance lint --rules Rules/cn-rare-earth --strict
            """)

    @OptionGroup var pack: PackOptions

    @Flag(help: "Exit 1 when there are warnings.")
    var strict = false

    func run() throws {
        let loaded: Pack
        do {
            loaded = try PackLoader(limits: pack.limits.values).load(path: pack.path)
        } catch {
            print(error.description)
            throw ExitStatus.notEvaluated.exitCode
        }
        let warnings = PackLinter.warnings(for: loaded, today: Clearance.today())
        for warning in warnings { print(warning.description) }
        let count = warnings.count == 1 ? "1 warning" : "\(warnings.count) warnings"
        print(
            "pack '\(loaded.info.reference)' (\(pack.path)): \(loaded.files.count) files, \(loaded.categories.count) categories, "
                + "\(loaded.licences.count) licences, \(loaded.rules.count) rules, \(loaded.parties.count) parties; 0 errors, \(count)")
        if strict && !warnings.isEmpty { throw ExitStatus.failOn.exitCode }
    }
}
