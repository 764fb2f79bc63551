/// The review and deny reasons of a report as findings pinned to the order file, shared by the
/// SARIF, GitHub and Markdown reporters.
struct Finding {
    var result: LineResult
    var reason: Reason

    /// The id reports group findings by: the reason's rule, or its code when it has none.
    var ruleID: String { reason.rule ?? reason.code.rawValue }

    /// The line and column in the order file the finding points at.
    var position: RecordOrigin.Position {
        if let field = reason.field, let position = result.origin.position(of: field) { return position }
        return RecordOrigin.Position(line: result.origin.line, column: 0)
    }

    /// Every review and deny reason (cleared ones excluded), worst first, then in input order.
    static func all(in report: EvaluationReport) -> [Finding] {
        var findings: [Finding] = []
        for result in report.results {
            for reason in result.reasons where reason.verdict >= .review {
                findings.append(Finding(result: result, reason: reason))
            }
        }
        // Stable: deny before review; within a verdict, input order.
        return findings.enumerated().sorted { lhs, rhs in
            if lhs.element.reason.verdict != rhs.element.reason.verdict { return lhs.element.reason.verdict > rhs.element.reason.verdict }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}

/// Paths as report consumers want them: relative to the working directory, `/` separated.
enum ReportPath {
    /// A repository-relative URI for `path`: relative paths stay, absolute ones inside the working
    /// directory become relative, others become `file://` URIs; characters outside a URI path are
    /// percent-encoded.
    static func uri(_ path: String, workingDirectory: String) -> String {
        if path == "-" { return "stdin" }
        var relative = path
        while relative.hasPrefix("./") { relative.removeFirst(2) }
        if relative.hasPrefix("/") {
            let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
            if relative.hasPrefix(base) {
                relative.removeFirst(base.count)
            } else {
                return "file://" + encode(relative)
            }
        }
        return encode(relative)
    }

    private static func encode(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte < 0x80 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "/-._~".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
