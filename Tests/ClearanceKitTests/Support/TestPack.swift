import Foundation
import TestSupport
import Testing

@testable import ClearanceKit

/// Writes rule files to a fresh temporary directory and loads them as a pack.
enum TestPack {
    /// A pack header every test pack can start from.
    static let header = """
        pack:
          id: test
          version: "1"

        """

    /// A fresh temporary directory.
    static func directory() -> String {
        let path = TemporaryFiles.directory("pack")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `files` (name → YAML) into a new directory and returns its path.
    static func write(_ files: [String: String]) -> String {
        let root = directory()
        for (name, text) in files {
            let path = "\(root)/\(name)"
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if !FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) {
                Issue.record("cannot write the test pack file \(path)")
            }
        }
        return root
    }

    /// Loads a one-file pack; the text should contain its own `pack:` unless `withHeader`.
    static func load(_ yaml: String, withHeader: Bool = true) throws(PackLoadErrors) -> Pack {
        let root = write(["rules.yaml": (withHeader ? header : "") + yaml])
        return try PackLoader().load(path: root)
    }

    /// The load errors of a one-file pack, or an empty list when it loads.
    static func errors(_ yaml: String, withHeader: Bool = true) -> [PackLoadError] {
        do {
            _ = try load(yaml, withHeader: withHeader)
            return []
        } catch {
            return error.errors
        }
    }

    /// Strips a `1️⃣` marker from `text` and returns the text with the marker's 1-based line and column.
    static func marker(in text: String) -> (text: String, line: Int, column: Int) {
        var line = 1
        var column = 1
        var output = ""
        var found: (Int, Int) = (0, 0)
        for character in text {
            if character == "1️⃣" {
                found = (line, column)
                continue
            }
            output.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (output, found.0, found.1)
    }
}

/// Builds order records for evaluator tests.
enum TestOrders {
    /// A record from field names and texts, parsed exactly as order files are.
    static func record(_ fields: KeyValuePairs<String, String>, line: Int = 2) -> OrderRecord {
        OrderSource.record(fields: fields.map { ($0.key, $0.value) }, file: "orders.csv", line: line)
    }

    /// Evaluates records in order against a pack.
    static func evaluate(_ pack: Pack, _ records: [OrderRecord], asOf: Day? = nil, today: Day? = nil) -> [LineResult] {
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions(asOf: asOf, today: today))
        return records.map { evaluator.evaluate($0) }
    }

    /// Expects a line of `fields` to get the same categories, reasons and verdict as when its
    /// evaluation is traced (`explain`, which evaluates every category and rule, without the
    /// shortcuts: indexes, per-product results).
    static func expectSameAsExplained(_ pack: Pack, _ fields: [(name: String, text: String)]) {
        let record = OrderSource.record(fields: fields, file: "o", line: 1)
        var fast = Evaluator(pack: pack)
        var traced = Evaluator(pack: pack)
        let result = fast.evaluate(record)
        let (full, _) = traced.explain(record)
        #expect(result.categories == full.categories, "\(fields)")
        #expect(result.reasons == full.reasons, "\(fields)")
        #expect(result.verdict == full.verdict, "\(fields)")
    }

    /// The records of an in-memory order file.
    static func read(_ text: String, format: OrderFormat, file: String = "orders") throws -> [OrderRecord] {
        Array(IteratorSequence(try OrderSource.records(bytes: Array(text.utf8), file: file, format: format)))
    }
}

extension LineResult {
    /// The codes of the reasons, in report order.
    var codes: [String] { reasons.map(\.code.rawValue) }
}
