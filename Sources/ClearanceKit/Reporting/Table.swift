import Foundation

/// A small table that renders as aligned text, CSV or a JSON array of objects, for the status
/// commands (`clearance licences`, `clearance ledger show`).
public struct Table: Sendable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The formats a table renders in.
    public enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .text: text
        case .csv: ([columns] + rows).map { $0.map(CSVReporter.field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .json: json
        }
    }

    private var text: String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }
        return ([line(columns.map { $0.uppercased() })] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    private var json: String {
        let objects = rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(columns, row).map { ($0.0, $0.1) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(objects)).map { String(decoding: $0, as: UTF8.self) } ?? "[]") + "\n"
    }
}
