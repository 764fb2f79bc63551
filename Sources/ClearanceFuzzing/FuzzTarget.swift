import ClearanceKit
import Foundation

/// The fuzz targets: each feeds arbitrary bytes to one reader and checks what must always hold —
/// no crash, every record evaluated, reasons sorted, the verdict the most severe reason, nothing
/// controlled allowed on an unreadable line.
///
/// The `clearance-fuzz` executable runs them under libFuzzer (`Scripts/fuzz.sh`); the test suite
/// replays the committed corpus and every regression input through the same code.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case pack, csv, json, jsonl, yaml, clearances, evaluator

    /// A small pack with a licence, a limit, a list and a rule, for the order and clearance targets.
    public static let fixturePack: Pack? = {
        let yaml = """
            pack: {id: fuzz, version: "1"}
            country_groups: {eu: [DE, FR]}
            lists: [{id: blocked, verdict: deny}]
            parties:
              - {id: maker, name: Maker Ltd}
              - {id: alpha, name: Alpha GmbH}
              - {id: villain, name: Villain Corp, lists: [{list: blocked, from: 2026-01-01}]}
            products:
              - {sku: DY-MAG, hs_code: "8505111000", composition: {Dy: 2%}, attributes: {form: magnet}}
            categories:
              - id: DY
                control: licence
                when: {all: [{hs_code: {prefix: ["850511"]}}, {composition.Dy: {gt: 0%}}]}
            licences:
              - id: L1
                holder: maker
                valid: {from: 2026-01-01, until: 2026-12-31}
                categories: [DY]
                customers: [alpha]
                destinations: ["@eu"]
                limits: {quantity: 10 t, value: 100000 USD}
                conditions: [{when: {quantity: {gt: 5 t}}, verdict: review, reason: "big: {quantity}"}]
            rules:
              - {id: R1, verdict: deny, when: {end_use: {matches: "milit"}}, reason: "no {end_use}"}
            """
        return try? PackLoader().load(sources: [("pack.yaml", Array(yaml.utf8))], root: "fuzz")
    }()

    /// Runs one input; calls `abort()` when an invariant does not hold, so that libFuzzer reports it.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .pack:
            _ = try? PackLoader().load(sources: [("rules.yaml", bytes)], root: "fuzz")
        case .csv, .json, .jsonl, .yaml:
            guard let pack = Self.fixturePack, let format = OrderFormat(rawValue: rawValue) else { return }
            Self.evaluate(bytes, format: format, pack: pack)
        case .clearances:
            guard let pack = Self.fixturePack else { return }
            guard let clearances = try? ClearanceLoader().load(bytes: bytes, file: "clearances.yaml", pack: pack) else { return }
            let orders = Array(
                "id,supplier,customer,product,quantity,destination,date,end_use\nA,maker,alpha,DY-MAG,6 t,DE,2026-03-01,civil\n".utf8)
            Self.evaluate(orders, format: .csv, pack: pack, clearances: clearances)
        case .evaluator:
            // The bytes before the first NUL are a rule file; the rest is a CSV order file.
            let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
            guard let pack = try? PackLoader().load(sources: [("rules.yaml", Array(bytes[..<split]))], root: "fuzz") else { return }
            let orders = split < bytes.endIndex ? Array(bytes[(split + 1)...]) : []
            Self.evaluate(orders, format: .csv, pack: pack)
        }
    }

    static func evaluate(_ bytes: [UInt8], format: OrderFormat, pack: Pack, clearances: [ManualClearance] = []) {
        guard let records = try? OrderSource.records(bytes: bytes, file: "orders", format: format) else { return }
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions(today: Day(parsing: "2026-06-01"), clearances: clearances))
        for record in IteratorSequence(records) {
            check(record, evaluator.evaluate(record))
        }
        _ = evaluator.clearanceWarnings()
    }

    /// The invariants every result must meet.
    static func check(_ record: OrderRecord, _ result: LineResult) {
        func fail(_ what: String) -> Never {
            FileHandle.standardError.write(Data("invariant broken: \(what) (line \(record.line))\n".utf8))
            abort()
        }
        if result.reasons.isEmpty { fail("a result without reasons") }
        if result.verdict != result.reasons.map(\.verdict).max() { fail("the verdict is not the most severe reason") }
        if result.reasons != result.reasons.sorted(by: Reason.reportOrder) { fail("reasons are not sorted") }
        if !record.problems.isEmpty && result.verdict == .allow { fail("an unreadable line was allowed") }
        if result.verdict == .allow && result.reasons.contains(where: { $0.code == .missingData || $0.code == .unknownParty }) {
            fail("a line with missing data was allowed")
        }
        if result.line != record.line { fail("the result names another line") }
    }
}
