/// The order file echoed with its own columns, plus `verdict`, `licence`, `codes` and `reasons`:
/// the file an exporter sends back to sales.
///
/// RFC 4180 quoting; a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
/// prefixed with `'` so that no spreadsheet runs it as a formula.
public enum CSVReporter: Reporter {
    public static let identifier = "csv"
    public static let description = "the order file echoed with verdict, licence, codes and reasons columns"

    /// The columns Clearance adds after the order file's own.
    public static let addedColumns = ["verdict", "licence", "codes", "reasons"]

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        var columns: [String] = []
        var seen: Set<String> = []
        for result in report.results {
            for cell in result.origin.cells where seen.insert(cell.name).inserted { columns.append(cell.name) }
        }
        let prefix = report.namesFiles ? ["file"] : []
        var lines = [
            (prefix + columns + addedColumns.map { columns.contains($0) ? "clearance_\($0)" : $0 }).map(field).joined(separator: ",")
        ]
        for result in report.results {
            var values: [String: String] = [:]
            for cell in result.origin.cells { values[cell.name] = cell.value }
            var codes: [String] = []
            for reason in result.reasons where !codes.contains(reason.code.rawValue) { codes.append(reason.code.rawValue) }
            let reasons = result.reasons.map { "[\($0.code.rawValue)] \($0.message)" }.joined(separator: "; ")
            let row =
                (report.namesFiles ? [result.file] : []) + columns.map { values[$0] ?? "" }
                + [result.verdict.name, result.licence ?? "", codes.joined(separator: " "), reasons]
            lines.append(row.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One RFC 4180 field, defused against spreadsheet formulas.
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { value = "'" + value }
        let needsQuotes =
            value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || value.hasPrefix(" ")
            || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
