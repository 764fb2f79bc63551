import ClearanceKit
import Foundation
import GRDB

/// The licence ledger in an SQLite file (through GRDB): committed usage that counts against every
/// limit before the lines of a run, shared by every run and pipeline that names the same file.
///
/// The file is created on first use, its schema versioned by GRDB migrations, in WAL mode; a file
/// written by a newer Clearance is refused.
public final class SQLiteLedger: @unchecked Sendable {
    /// The file's path.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (or creates) the ledger at `path`.
    /// - Parameter busyTimeout: how long to wait for another process's write to finish.
    /// - Throws: `LedgerError` when the file cannot be opened or was written by a newer Clearance.
    public init(path: String, busyTimeout: TimeInterval = 60) throws(LedgerError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "clearance-ledger"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
            let migrator = Self.migrator
            if try queue.read({ try migrator.hasBeenSuperseded($0) }) {
                throw LedgerError(
                    "the ledger '\(path)' was written by a newer version of Clearance (schema not known to \(Clearance.version))",
                    help: "upgrade clearance; never edit the ledger by hand")
            }
            try migrator.migrate(queue)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open the ledger '\(path)': \(error)", help: "check the path and that it is an SQLite file")
        }
    }

    /// The schema, one migration per version.
    ///
    /// Never change a registered migration: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: ledger entries") { db in
            try db.create(table: "ledger_entry") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("kind", .text).notNull().check(sql: "kind IN ('shipment', 'void')")
                table.column("supplier", .text).notNull()
                table.column("order_id", .text).notNull()
                table.column("licence", .text).notNull()
                table.column("customer", .text)
                table.column("quantity_amount", .text)
                table.column("quantity_unit", .text).check(sql: "quantity_unit IS NULL OR quantity_unit IN ('kg', 'pcs')")
                table.column("value_amount", .text)
                table.column("value_currency", .text)
                table.column("ship_date", .text)
                table.column("recorded_at", .text).notNull()
                table.column("recorded_by", .text).notNull()
                table.column("pack_id", .text).notNull()
                table.column("pack_version", .text).notNull()
                table.column("pack_digest", .text).notNull()
                table.column("source", .text).notNull()
                table.column("reason", .text)
                table.column("voids", .integer).references("ledger_entry")
            }
            try db.create(index: "ledger_entry_order", on: "ledger_entry", columns: ["supplier", "order_id", "licence"])
            try db.execute(
                sql: """
                    CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
                    BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed; void them'); END;
                    CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
                    BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted; void them'); END;
                    """)
        }
        return migrator
    }

    // MARK: reading

    /// Every entry, in the order written.
    public func entries() throws(LedgerError) -> [LedgerEntry] {
        try read { db in try Self.entries(db) }
    }

    /// Shipments that no void reverses, optionally only those shipped on or before `asOf`.
    public func activeShipments(asOf: Day? = nil) throws(LedgerError) -> [LedgerEntry] {
        Self.active(try entries(), asOf: asOf)
    }

    /// The committed usage, ready to seed an evaluator.
    /// - Parameter excluding: orders (`OrderKey`) whose own recorded shipments are left out, so that
    ///   re-checking an order that was already recorded does not count it twice.
    public func usage(asOf: Day? = nil, excluding: Set<OrderKey> = []) throws(LedgerError) -> LimitLedger {
        Self.usage(of: try activeShipments(asOf: asOf).filter { !excluding.contains(OrderKey(supplier: $0.supplier, orderID: $0.orderID)) })
    }

    /// The order ids of order files, with their resolved suppliers, read ahead of a check so that
    /// their own recorded usage can be left out.
    ///
    /// Standard input (`-`) cannot be read twice and is skipped.
    public static func orderKeys(
        files: [String], format: OrderFormat?, pack: Pack, limits: InputLimits = InputLimits()
    ) throws(OrderReadError) -> Set<OrderKey> {
        let resolver = pack.partyResolver
        var keys: Set<OrderKey> = []
        for file in files where file != "-" {
            for record in IteratorSequence(try OrderSource.records(path: file, format: format, limits: limits)) {
                guard let id = record.id, let supplier = resolver.resolve(record.order?.supplier).id else { continue }
                keys.insert(OrderKey(supplier: supplier, orderID: id))
            }
        }
        return keys
    }

    static func active(_ entries: [LedgerEntry], asOf: Day? = nil) -> [LedgerEntry] {
        let voided = Set(entries.compactMap(\.voids))
        return entries.filter { entry in
            guard entry.kind == .shipment, !voided.contains(entry.id) else { return false }
            if let asOf, let date = entry.shipDate, date > asOf { return false }
            return true
        }
    }

    static func usage(of shipments: [LedgerEntry]) -> LimitLedger {
        var ledger = LimitLedger()
        for entry in shipments {
            ledger.draw(licence: entry.licence, customer: entry.customer, quantity: entry.quantity, value: entry.value)
        }
        return ledger
    }

    static func entries(_ db: Database) throws -> [LedgerEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM ledger_entry ORDER BY id").map(entry)
    }

    static func entry(_ row: Row) -> LedgerEntry {
        let quantity: Quantity? = (row["quantity_amount"] as String?).flatMap {
            Decimal(string: $0, locale: DecimalNumber.posix)
        }.map {
            Quantity(amount: $0, dimension: (row["quantity_unit"] as String?) == "pcs" ? .pieces : .mass)
        }
        let value: Money? = (row["value_amount"] as String?).flatMap { Decimal(string: $0, locale: DecimalNumber.posix) }
            .flatMap {
                amount in (row["value_currency"] as String?).map { Money(amount: amount, currency: $0) }
            }
        return LedgerEntry(
            id: row["id"], kind: LedgerEntry.Kind(rawValue: row["kind"]) ?? .shipment, supplier: row["supplier"], orderID: row["order_id"],
            licence: row["licence"], customer: row["customer"], quantity: quantity, value: value,
            shipDate: (row["ship_date"] as String?).flatMap(Day.init(parsing:)), recordedAt: row["recorded_at"],
            recordedBy: row["recorded_by"],
            packID: row["pack_id"], packVersion: row["pack_version"], packDigest: row["pack_digest"], source: row["source"],
            reason: row["reason"],
            voids: row["voids"])
    }

    // MARK: writing

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: concurrent writers wait for each other,
    /// so each sees the usage the others committed.
    ///
    /// `body` returns whether to commit.
    func writeImmediate<T>(_ body: (Database) throws -> (T, commit: Bool)) throws(LedgerError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var output: T?
                try db.inTransaction(.immediate) {
                    let (value, commit) = try body(db)
                    output = value
                    return commit ? .commit : .rollback
                }
                guard let output else { throw LedgerError("the ledger transaction returned nothing") }
                return output
            }
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot write the ledger '\(path)': \(error)")
        }
    }

    static func insert(_ entry: LedgerEntry, _ db: Database) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO ledger_entry (kind, supplier, order_id, licence, customer, quantity_amount, quantity_unit, value_amount,
                  value_currency, ship_date, recorded_at, recorded_by, pack_id, pack_version, pack_digest, source, reason, voids)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.kind.rawValue, entry.supplier, entry.orderID, entry.licence, entry.customer,
                entry.quantity.map { DecimalNumber.format($0.amount) }, entry.quantity.map { $0.dimension == .mass ? "kg" : "pcs" },
                entry.value.map { DecimalNumber.format($0.amount) }, entry.value?.currency, entry.shipDate?.description, entry.recordedAt,
                entry.recordedBy, entry.packID, entry.packVersion, entry.packDigest, entry.source, entry.reason, entry.voids,
            ])
        return db.lastInsertedRowID
    }

    private func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw LedgerError("cannot read the ledger '\(path)': \(error)")
        }
    }
}
