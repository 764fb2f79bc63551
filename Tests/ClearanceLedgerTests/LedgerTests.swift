import ClearanceKit
import Foundation
import GRDB
import TestSupport
import Testing

@testable import ClearanceLedger

/// Tests against real SQLite files in temporary directories.
@Suite("SQLite ledger")
struct LedgerTests {
    /// The shared fixture pack (Tests/Fixtures/ledger-pack).
    static let packPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ledger-pack").path

    let directory: String
    let pack: Pack

    init() throws {
        directory = TemporaryFiles.directory("ledger")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        pack = try PackLoader().load(path: Self.packPath)
    }

    func line(_ id: String, _ customer: String, _ quantity: String, date: String = "2026-03-01") -> OrderRecord {
        OrderSource.record(
            fields: [
                ("id", id), ("supplier", "maker"), ("customer", customer), ("product", "DY-MAG"), ("quantity", quantity),
                ("destination", "DE"),
                ("date", date),
            ], file: "orders.csv", line: 2)
    }

    func record(_ ledger: SQLiteLedger, _ lines: [OrderRecord], dryRun: Bool = false) throws -> [RecordOutcome.Action] {
        try ledger.record(lines, pack: pack, options: EvaluationOptions(), by: "tester", dryRun: dryRun).map(\.action)
    }

    @Test("a new ledger is created with its schema, in WAL mode, and opens again")
    func creation() throws {
        let path = directory + "/ledger.sqlite"
        _ = try SQLiteLedger(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        let again = try SQLiteLedger(path: path)
        #expect(try again.entries().isEmpty)
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == ["v1: ledger entries"])
    }

    @Test("a ledger from a newer schema version is refused with a clear error")
    func newerSchema() throws {
        let path = directory + "/ledger.sqlite"
        _ = try SQLiteLedger(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2: from the future')") }
        do {
            _ = try SQLiteLedger(path: path)
            Issue.record("opened a ledger of a newer schema")
        } catch {
            #expect(error.message.contains("was written by a newer version of Clearance"))
            #expect(error.help == "upgrade clearance; never edit the ledger by hand")
        }
    }

    @Test("recorded usage counts against the limits of later runs")
    func usageAcrossRuns() throws {
        let ledger = try SQLiteLedger(path: directory + "/ledger.sqlite")
        #expect(try record(ledger, [line("A1", "alpha", "4 t")]) == [.recorded([1])])
        let later = try SQLiteLedger(path: directory + "/ledger.sqlite")
        let usage = try later.usage()
        #expect(
            usage.used(LimitLedger.Key(licence: "L1", customer: "alpha"), like: .quantity(Quantity(amount: 1, dimension: .mass))) == 4000)
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions(), ledger: usage)
        #expect(evaluator.evaluate(line("A2", "alpha", "3 t")).reasons.map(\.code) == [.licenceLimit])
        #expect(evaluator.evaluate(line("A3", "alpha", "2 t")).verdict == .allow)
        let actions = try record(later, [line("A2", "alpha", "3 t"), line("B1", "beta", "6 t"), line("B2", "beta", "1 t")])
        #expect(actions == [.notRecorded(.denied), .recorded([2]), .notRecorded(.denied)])
    }

    @Test("recording is idempotent: the same supplier and order id are not counted twice")
    func idempotent() throws {
        let ledger = try SQLiteLedger(path: directory + "/ledger.sqlite")
        #expect(try record(ledger, [line("A1", "alpha", "4 t")]) == [.recorded([1])])
        #expect(
            try record(ledger, [line("A1", "alpha", "4 t"), line("A1", "alpha", "4 t")]) == [.alreadyRecorded([1]), .alreadyRecorded([1])])
        #expect(try ledger.entries().count == 1)
    }

    @Test("denied, review and not-controlled lines are never recorded; a dry run writes nothing")
    func refusals() throws {
        let ledger = try SQLiteLedger(path: directory + "/ledger.sqlite")
        let unknown = line("U1", "Stranger", "1 t")
        let noID = OrderSource.record(
            fields: [
                ("supplier", "maker"), ("customer", "alpha"), ("product", "DY-MAG"), ("quantity", "1 t"), ("destination", "DE"),
                ("date", "2026-03-01"),
            ],
            file: "o.csv", line: 3)
        let plain = OrderSource.record(
            fields: [
                ("id", "P1"), ("supplier", "maker"), ("customer", "alpha"), ("hs_code", "2501000000"), ("destination", "DE"),
                ("date", "2026-03-01"),
            ],
            file: "o.csv", line: 4)
        let actions = try record(ledger, [line("D1", "alpha", "7 t"), unknown, noID, plain])
        #expect(actions[0] == .notRecorded(.denied))
        #expect(actions[1] == .notRecorded(.reviewNotCleared))
        #expect(actions[2] == .notRecorded(.noOrderID))
        #expect(actions[3] == .notRecorded(.notControlled))
        #expect(try record(ledger, [line("A1", "alpha", "1 t")], dryRun: true) == [.recorded([1])])
        #expect(try ledger.entries().isEmpty)
    }

    @Test(
        "why a line is not recorded: the words `ledger record` prints, and which count as refused",
        arguments: [
            (RecordOutcome.Reason.denied, "denied", true), (.reviewNotCleared, "review not cleared", true),
            (.notControlled, "no licence drawn on (not controlled)", false),
            (.noOrderID, "no order id, so it could not be recorded only once", true), (.noKnownSupplier, "no known supplier", true),
            (.notReadable, "not readable", true),
        ])
    func refusalReasons(reason: RecordOutcome.Reason, words: String, refused: Bool) {
        #expect(reason.description == words)
        #expect(reason.isRefusal == refused)
    }

    @Test("voiding reverses a shipment with an audit entry; nothing is deleted or changed")
    func void() throws {
        let ledger = try SQLiteLedger(path: directory + "/ledger.sqlite")
        _ = try record(ledger, [line("A1", "alpha", "6 t")])
        let voids = try ledger.void(orderID: "A1", supplier: nil, reason: "order cancelled", by: "auditor")
        #expect(voids.map(\.voids) == [1])
        #expect(voids.first?.reason == "order cancelled")
        #expect(try ledger.activeShipments().isEmpty)
        #expect(try ledger.entries().map(\.kind) == [.shipment, .void])
        #expect(try record(ledger, [line("A1", "alpha", "6 t")]) == [.recorded([3])])
        do {
            _ = try ledger.void(orderID: "NOPE", supplier: nil, reason: "x", by: "y")
            Issue.record("voided an unknown order")
        } catch {
            #expect(error.message == "no recorded shipment has order id 'NOPE'")
        }
        let queue = try DatabaseQueue(path: directory + "/ledger.sqlite")
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "DELETE FROM ledger_entry") } }
        #expect(throws: (any Error).self) { try queue.write { try $0.execute(sql: "UPDATE ledger_entry SET quantity_amount = '0'") } }
        #expect(try ledger.entries().count == 3)
    }

    @Test("ledger show and export render caps, usage and every entry")
    func reports() throws {
        let ledger = try SQLiteLedger(path: directory + "/ledger.sqlite")
        _ = try record(ledger, [line("A1", "alpha", "4 t", date: "2026-03-01"), line("B1", "beta", "2500 kg", date: "2026-04-02")])
        let show = LedgerReports.usage(pack: pack, shipments: try ledger.activeShipments(), licence: nil)
        #expect(show.rows.contains(["L1", "quantity", "", "10000 kg", "6500 kg", "3500 kg", "65.0", "2026-04-02"]))
        #expect(show.rows.contains(["L1", "per_customer_quantity", "alpha", "6000 kg", "4000 kg", "2000 kg", "66.7", "2026-03-01"]))
        let asOf = LedgerReports.usage(pack: pack, shipments: try ledger.activeShipments(asOf: Day(parsing: "2026-03-31")), licence: "L1")
        #expect(asOf.rows.first?[4] == "4000 kg")
        let export = LedgerReports.export(try ledger.entries()).render(.csv)
        #expect(
            export.hasPrefix(
                "entry,kind,supplier,order_id,licence,customer,quantity,value,ship_date,recorded_at,recorded_by,pack,pack_digest,source,voids,reason\r\n"
            ))
        #expect(export.contains(",shipment,maker,A1,L1,alpha,4000 kg,,2026-03-01,"))
        #expect(export.contains(",tester,ledger-test@1,\(pack.digest),orders.csv:2,,"))
    }
}

@Suite("Ledger usage")
struct LedgerUsageTests {
    @Test("usage can leave out the recorded shipments of given orders, so re-checks do not count them twice")
    func excluding() throws {
        let directory = TemporaryFiles.directory("ledger")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pack = try PackLoader().load(path: LedgerTests.packPath)
        let ledger = try SQLiteLedger(path: directory + "/l.sqlite")
        let line = OrderSource.record(
            fields: [
                ("id", "A1"), ("supplier", "Maker Ltd"), ("customer", "alpha"), ("product", "DY-MAG"), ("quantity", "5 t"),
                ("destination", "DE"), ("date", "2026-03-01"),
            ],
            file: "o.csv", line: 2)
        _ = try ledger.record([line], pack: pack, options: EvaluationOptions(), by: "t")
        let key = LimitLedger.Key(licence: "L1", customer: "alpha")
        let kg = Limit.Amount.quantity(Quantity(amount: 1, dimension: .mass))
        #expect(try ledger.usage().used(key, like: kg) == 5000)
        #expect(try ledger.usage(excluding: [OrderKey(supplier: "maker", orderID: "A1")]).used(key, like: kg) == 0)
        let file = directory + "/o.csv"
        _ = FileManager.default.createFile(
            atPath: file,
            contents: Data("id,supplier,customer,product,quantity\nA1,Maker Ltd,alpha,DY-MAG,5 t\nZ9,Nobody,alpha,DY-MAG,1 t\n".utf8))
        #expect(try SQLiteLedger.orderKeys(files: [file], format: nil, pack: pack) == [OrderKey(supplier: "maker", orderID: "A1")])
    }
}
