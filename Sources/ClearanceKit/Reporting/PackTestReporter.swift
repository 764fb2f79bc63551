import Foundation

/// The text `clearance test` prints: each test's result, what a failing line expected and got
/// with its reasons, a count, and (with `--coverage`) what the tests exercised.
public enum PackTestReporter {
    public static func render(_ outcomes: [PackTestRunner.Outcome]) -> String {
        var out: [String] = []
        for outcome in outcomes {
            out.append("\(outcome.passed ? "PASS" : "FAIL")  \(outcome.test.name)  (\(outcome.test.source))")
            for (index, line) in outcome.lines.enumerated() where !line.mismatches.isEmpty {
                out.append("      order \(index + 1) (\(line.expectation.source)):")
                for mismatch in line.mismatches { out.append("        \(mismatch)") }
                out.append("        got \(line.result.verdict)" + (line.result.licence.map { " (licence \($0))" } ?? "") + ", because:")
                for reason in line.result.reasons {
                    out.append(
                        "          \(reason.verdict) [\(reason.code.rawValue)]\(reason.rule.map { " \($0)" } ?? ""): \(reason.message)")
                }
            }
        }
        let failed = outcomes.filter { !$0.passed }.count
        out.append("\(outcomes.count) pack \(outcomes.count == 1 ? "test" : "tests"), \(failed) failed")
        return out.joined(separator: "\n") + "\n"
    }

    public static func render(_ coverage: PackTestRunner.Coverage) -> String {
        var out: [String] = []
        let covered = coverage.items.filter(coverage.exercised.contains).count
        out.append(String(format: "coverage: %d of %d pack items exercised (%.1f%%)", covered, coverage.items.count, coverage.percentage))
        for group in ["category", "licence", "rule", "list"] {
            let items = coverage.items.filter { $0.group == group }
            guard !items.isEmpty else { continue }
            let done = items.filter(coverage.exercised.contains).count
            out.append("  \(group == "category" ? "categories" : group + "s"): \(done)/\(items.count)")
            for item in items where !coverage.exercised.contains(item) { out.append("    never: \(item.name)") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
