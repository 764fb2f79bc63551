import ClearanceKit
import Foundation
import GRDB

/// What `ledger record` did with one order line.
public struct RecordOutcome: Sendable {
    /// The action taken.
    public enum Action: Sendable, Equatable {
        /// Written as shipped, one entry per licence drawn on.
        case recorded([Int64])
        /// The same supplier and order id is in the ledger already; not counted again.
        case alreadyRecorded([Int64])
        /// Not written, and why.
        case notRecorded(Reason)
    }

    /// Why a line was not recorded.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case denied
        case reviewNotCleared
        /// Allowed without drawing on a licence: nothing to count, and not a refusal.
        case notControlled
        case noOrderID
        case noKnownSupplier
        case notReadable

        /// Whether `ledger record` counts the line as refused (exit 1): every reason but
        /// `notControlled`, which records nothing because there is nothing to count.
        public var isRefusal: Bool { self != .notControlled }

        public var description: String {
            switch self {
            case .denied: "denied"
            case .reviewNotCleared: "review not cleared"
            case .notControlled: "no licence drawn on (not controlled)"
            case .noOrderID: "no order id, so it could not be recorded only once"
            case .noKnownSupplier: "no known supplier"
            case .notReadable: "not readable"
            }
        }
    }

    public var record: OrderRecord
    /// The evaluation; nil for a line that was already recorded (it was not evaluated again).
    public var result: LineResult?
    public var action: Action
}

extension SQLiteLedger {
    /// Evaluates `records` against the committed usage and records the allowed lines as shipped, in
    /// one `BEGIN IMMEDIATE` transaction taken before evaluation, so that concurrent recorders
    /// serialise and none can over-draw a limit.
    ///
    /// A line is recorded when its final verdict is allow (reviews all cleared) and it drew on at
    /// least one licence; denied and unresolved review lines never are.
    /// - Parameters:
    ///   - dryRun: evaluate and report, but write nothing.
    ///   - beforeCommit: called after the entries are written and before the commit (for crash tests).
    public func record(
        _ records: [OrderRecord], pack: Pack, options: EvaluationOptions, by recorder: String, dryRun: Bool = false, now: Date = Date(),
        beforeCommit: () -> Void = {}
    ) throws(LedgerError) -> [RecordOutcome] {
        let timestamp = Clearance.timestamp(now)
        return try writeImmediate { db in
            let existing = Self.active(try Self.entries(db))
            var recorded: [OrderKey: [Int64]] = [:]
            for entry in existing { recorded[OrderKey(supplier: entry.supplier, orderID: entry.orderID), default: []].append(entry.id) }
            var evaluator = Evaluator(pack: pack, options: options, ledger: Self.usage(of: existing))
            var outcomes: [RecordOutcome] = []
            for record in records {
                let supplier = record.order.flatMap { evaluator.partyResolver.resolve($0.supplier).id }
                if let supplier, let id = record.id, let ids = recorded[OrderKey(supplier: supplier, orderID: id)] {
                    outcomes.append(RecordOutcome(record: record, result: nil, action: .alreadyRecorded(ids)))
                    continue
                }
                let result = evaluator.evaluate(record)
                let licences = Array(Set(result.reasons.filter { $0.code == .covered }.compactMap(\.rule))).sorted()
                let refusal: RecordOutcome.Reason? =
                    switch result.verdict {
                    case .deny: .denied
                    case .review: .reviewNotCleared
                    case .allow where licences.isEmpty: .notControlled
                    case .allow where record.id == nil: .noOrderID
                    case .allow where supplier == nil: .noKnownSupplier
                    case .allow: nil
                    }
                guard refusal == nil, let order = record.order, let supplier, let orderID = record.id else {
                    outcomes.append(RecordOutcome(record: record, result: result, action: .notRecorded(refusal ?? .notReadable)))
                    continue
                }
                var ids: [Int64] = []
                for licence in licences {
                    let entry = LedgerEntry(
                        kind: .shipment, supplier: supplier, orderID: orderID, licence: licence,
                        customer: evaluator.partyResolver.resolve(order.customer).id, quantity: order.quantity, value: order.value,
                        shipDate: options.asOf ?? order.date, recordedAt: timestamp, recordedBy: recorder, packID: pack.info.id,
                        packVersion: pack.info.version, packDigest: pack.digest, source: "\(record.file):\(record.line)")
                    ids.append(try Self.insert(entry, db))
                }
                recorded[OrderKey(supplier: supplier, orderID: orderID)] = ids
                outcomes.append(RecordOutcome(record: record, result: result, action: .recorded(ids)))
            }
            if !dryRun { beforeCommit() }
            return (outcomes, commit: !dryRun)
        }
    }

    /// Reverses the shipments recorded for an order (a cancelled order), with an audit entry each.
    /// - Parameter supplier: needed when several suppliers recorded the same order id.
    /// - Returns: the void entries written.
    public func void(orderID: String, supplier: String?, reason: String, by recorder: String, now: Date = Date()) throws(LedgerError)
        -> [LedgerEntry]
    {
        let timestamp = Clearance.timestamp(now)
        return try writeImmediate { db in
            let matching = Self.active(try Self.entries(db)).filter {
                $0.orderID == orderID && (supplier == nil || $0.supplier == supplier)
            }
            guard !matching.isEmpty else {
                throw LedgerError("no recorded shipment has order id '\(orderID)'" + (supplier.map { " from supplier '\($0)'" } ?? ""))
            }
            let suppliers = Set(matching.map(\.supplier))
            guard suppliers.count == 1 else {
                throw LedgerError(
                    "order id '\(orderID)' was recorded for several suppliers: \(suppliers.sorted().joined(separator: ", "))",
                    help: "name one with --supplier")
            }
            var voids: [LedgerEntry] = []
            for shipment in matching {
                var entry = shipment
                entry.kind = .void
                entry.recordedAt = timestamp
                entry.recordedBy = recorder
                entry.reason = reason
                entry.voids = shipment.id
                entry.id = try Self.insert(entry, db)
                voids.append(entry)
            }
            return (voids, commit: true)
        }
    }
}
