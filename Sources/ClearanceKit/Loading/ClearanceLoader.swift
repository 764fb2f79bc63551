import Foundation

/// Reads clearance files (`--clearances FILE`) with the same positioned errors as rule packs.
public struct ClearanceLoader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = InputLimits()) { self.limits = limits }

    private enum FileKey: String, CaseIterable { case clearances }
    private enum EntryKey: String, CaseIterable { case id, orders, when, clears, by, on, expires, note }

    /// Loads every file, in order; `pack` resolves the ids that conditions name.
    /// - Throws: `PackLoadErrors` with every problem found.
    public func load(paths: [String], pack: Pack) throws(PackLoadErrors) -> [ManualClearance] {
        let decoder = NodeDecoder()
        let files = paths.map { path in
            (
                path,
                decoder.documents(atPath: path, kind: "clearance file", help: "check the path given to --clearances", limits: limits) ?? []
            )
        }
        return try load(files, pack: pack, decoder: decoder, label: paths.joined(separator: ", "))
    }

    /// Loads one clearance file already in memory.
    public func load(bytes: [UInt8], file: String, pack: Pack) throws(PackLoadErrors) -> [ManualClearance] {
        let decoder = NodeDecoder()
        let documents = decoder.documents(in: bytes, file: file, kind: "clearance file", limits: limits) ?? []
        return try load([(file, documents)], pack: pack, decoder: decoder, label: file)
    }

    private func load(
        _ files: [(path: String, documents: [YAMLNode])], pack: Pack, decoder: NodeDecoder, label: String
    ) throws(PackLoadErrors) -> [ManualClearance] {
        var clearances: [ManualClearance] = []
        // Without clearance files there is nothing to check against the pack's ids.
        guard !files.isEmpty else { return [] }
        var seen: [String: SourceLocation] = [:]
        let symbols = PackSymbols(pack: pack)
        for (_, documents) in files {
            for document in documents {
                guard let fields = decoder.fields(of: document, owner: "a clearance file") as Fields<FileKey>?,
                    let list = fields[.clearances]
                else { continue }
                guard case .sequence(let items) = list.content else {
                    decoder.wrongShape(list, expected: "a list of clearances", owner: "'clearances'")
                    continue
                }
                for item in items {
                    guard let clearance = entry(item, decoder: decoder, symbols: symbols) else { continue }
                    if let first = seen[clearance.id] {
                        decoder.report(
                            .duplicateID, "duplicate clearance id '\(clearance.id)': already used at \(first)", at: clearance.source)
                        continue
                    }
                    seen[clearance.id] = clearance.source
                    clearances.append(clearance)
                }
            }
        }
        if !decoder.errors.isEmpty { throw PackLoadErrors(errors: decoder.errors, packPath: label) }
        return clearances
    }

    private func entry(_ node: YAMLNode, decoder: NodeDecoder, symbols: PackSymbols) -> ManualClearance? {
        let owner = decoder.owner(of: node, kind: "clearance")
        guard let fields = decoder.fields(of: node, owner: owner, required: [EntryKey.id, .clears, .by, .on]),
            let id = decoder.text(fields[.id], owner: owner)
        else { return nil }
        if (fields[.orders] == nil) == (fields[.when] == nil) {
            decoder.report(
                .missingKey, "\(owner) needs exactly one of 'orders' and 'when'",
                expected: "'orders: [SO-1003]' or 'when: {customer: bosch}'",
                at: node.location)
            return nil
        }
        let orders = fields[.orders].map { decoder.textList($0, owner: "'orders' of \(owner)") ?? [] }.map { Set($0.map(\.text)) }
        let condition = fields[.when].flatMap { ConditionParser(symbols: symbols, decoder: decoder).parse($0, owner: owner) }
        let clears = decoder.textList(fields[.clears], owner: "'clears' of \(owner)")?.map(\.text) ?? []
        let by = decoder.text(fields[.by], owner: owner)
        let on = decoder.day(fields[.on], owner: owner)
        let expires = decoder.day(fields[.expires], owner: owner)
        if fields[.when] != nil && condition == nil { return nil }
        guard let by, let on, !clears.isEmpty else {
            if fields[.clears] != nil && clears.isEmpty {
                decoder.report(
                    .badValue, "\(owner) clears nothing", expected: "reason codes or rule ids, e.g. [licence-condition]", at: node.location)
            }
            return nil
        }
        return ManualClearance(
            id: id, orders: orders, condition: condition, clears: clears, by: by, on: on, expires: expires,
            note: decoder.text(fields[.note], owner: owner), source: node.location)
    }
}
