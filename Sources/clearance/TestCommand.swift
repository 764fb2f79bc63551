import ArgumentParser
import ClearanceKit
import Foundation

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the tests in the pack's tests/ folder, and measure what they exercise.",
        discussion: """
            Each test lists order lines and what each must give (verdict, licence, codes that must be \
            present, categories). Exit 1 when a test fails or coverage is under --min-coverage; 2 when \
            the pack or a test file cannot be read.

            Examples:
              clearance test --rules Rules/cn-rare-earth
              clearance test --coverage --min-coverage 90
            """)

    @OptionGroup var pack: PackOptions

    @Flag(help: "Print which categories, licence checks, rules and lists the tests exercised.")
    var coverage = false

    @Option(name: .customLong("min-coverage"), help: ArgumentHelp("Fail when coverage is below this percentage.", valueName: "pct"))
    var minCoverage: Double?

    func validate() throws {
        if let minCoverage, !(0...100).contains(minCoverage) { throw ValidationError("--min-coverage takes a percentage from 0 to 100") }
    }

    func run() throws {
        let loaded = try pack.load()
        let tests: [PackTest]
        do {
            tests = try PackTestLoader(limits: pack.limits.values).load(root: pack.path)
        } catch {
            throw CommandError(
                description: error.description.replacingOccurrences(of: "; nothing was evaluated", with: "; no test was run"))
        }
        if tests.isEmpty { throw CommandError(description: "error: no tests in '\(pack.path)': add YAML files under a tests/ folder") }
        let (outcomes, measured) = PackTestRunner(pack: loaded, today: Clearance.today()).run(tests)
        print(PackTestReporter.render(outcomes), terminator: "")
        if coverage || minCoverage != nil { print(PackTestReporter.render(measured), terminator: "") }
        if outcomes.contains(where: { !$0.passed }) { throw ExitStatus.failOn.exitCode }
        if let minCoverage, measured.percentage < minCoverage {
            printError(String(format: "coverage %.1f%% is below --min-coverage %.1f%%", measured.percentage, minCoverage))
            throw ExitStatus.failOn.exitCode
        }
    }
}
