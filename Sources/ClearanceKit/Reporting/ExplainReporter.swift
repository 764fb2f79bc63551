/// Renders the trace of one line for `clearance explain`: parties, every category condition with
/// the truth of each leaf, every candidate licence with each check, rules, then the verdict.
public enum ExplainReporter {
    public static func render(_ result: LineResult, _ trace: LineTrace, pack: Pack) -> String {
        var out: [String] = []
        let id = result.id.map { " (\($0))" } ?? ""
        out.append(
            "Line \(result.line) of \(result.file)\(id), evaluated for \(trace.date?.description ?? "no date") against \(pack.info.reference)"
        )
        out.append("")
        out.append("Parties")
        for party in trace.parties {
            let found: String
            switch party.resolution {
            case .absent: found = "(not given)"
            case .party(let id): found = "'\(party.raw ?? id)' → party '\(id)'"
            case .unknown(let raw): found = "'\(raw)' → not in the party register"
            case .ambiguous(let raw, let ids): found = "'\(raw)' → ambiguous: \(ids.joined(separator: ", "))"
            }
            out.append("  \(party.role): \(found)")
        }
        out.append("")
        out.append("Categories")
        for category in trace.categories {
            out.append("  \(category.id): applies \(category.applies)")
            node(category.condition, depth: 2, into: &out)
            out.append("    dates: \(category.dates) — \(category.datesDetail)")
        }
        if trace.categories.isEmpty { out.append("  (none)") }
        out.append("")
        out.append("Licences")
        if trace.licences.isEmpty { out.append("  (no candidate licence)") }
        for licence in trace.licences {
            let verdict =
                licence.coverage.isTrue ? (licence.selected ? "covers (selected)" : "covers") : "does not cover (\(licence.coverage))"
            out.append("  \(licence.licence) for \(licence.category): \(verdict)")
            for check in licence.checks {
                let detail = check.truth.isTrue ? "" : " — \(check.detail)"
                out.append("    \(check.name): \(check.truth)\(detail)")
            }
        }
        out.append("")
        out.append("Rules")
        if trace.rules.isEmpty { out.append("  (none)") }
        for rule in trace.rules {
            out.append("  \(rule.id): \(rule.condition.truth)")
            node(rule.condition, depth: 2, into: &out)
        }
        out.append("")
        out.append("Verdict: \(result.verdict)" + (result.licence.map { " (licence \($0))" } ?? ""))
        for reason in result.reasons {
            let rule = reason.rule.map { " \($0)" } ?? ""
            let source = reason.source.map { " (\($0))" } ?? ""
            out.append("  \(reason.verdict) [\(reason.code.rawValue)]\(rule): \(reason.message)\(source)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func node(_ node: TraceNode, depth: Int, into out: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        let source = node.source.map { "  [\($0)]" } ?? ""
        out.append("\(indent)\(node.label): \(node.truth)\(source)")
        for child in node.children { self.node(child, depth: depth + 1, into: &out) }
    }
}
