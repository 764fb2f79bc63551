import Foundation

/// Reads the pack tests under every `tests/` folder of a pack, with positioned errors.
public struct PackTestLoader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = InputLimits()) { self.limits = limits }

    private enum FileKey: String, CaseIterable { case tests }
    private enum TestKey: String, CaseIterable { case name, orders, expect, asOf = "as_of", today }
    private enum ExpectKey: String, CaseIterable { case verdict, licence, codes, categories }

    /// The test files below `root` (any folder named `tests`), relative paths joined to `root`, sorted.
    public static func files(root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/")
            guard components.dropLast().contains("tests"), !components.contains(where: { $0.hasPrefix(".") }),
                relative.hasSuffix(".yaml") || relative.hasSuffix(".yml")
            else { continue }
            files.append(root == "." ? relative : "\(root)/\(relative)")
        }
        return files.sorted()
    }

    /// Loads every test of the pack at `root`.
    /// - Throws: `PackLoadErrors` with every problem found in the test files.
    public func load(root: String) throws(PackLoadErrors) -> [PackTest] {
        let decoder = NodeDecoder()
        var tests: [PackTest] = []
        for path in Self.files(root: root) {
            for document in decoder.documents(atPath: path, kind: "test file", limits: limits) ?? [] {
                guard let fields = decoder.fields(of: document, owner: "a test file", required: [FileKey.tests]) as Fields<FileKey>?,
                    let list = fields[.tests]
                else { continue }
                guard case .sequence(let items) = list.content else {
                    decoder.wrongShape(list, expected: "a list of tests", owner: "'tests'")
                    continue
                }
                tests += items.compactMap { test($0, file: path, decoder: decoder) }
            }
        }
        if !decoder.errors.isEmpty { throw PackLoadErrors(errors: decoder.errors, packPath: root) }
        return tests
    }

    private func test(_ node: YAMLNode, file: String, decoder: NodeDecoder) -> PackTest? {
        let owner = decoder.owner(of: node, kind: "test", idKey: "name")
        guard let fields = decoder.fields(of: node, owner: owner, required: [TestKey.name, .orders, .expect]),
            let name = decoder.text(fields[.name], owner: owner), let ordersNode = fields[.orders], let expectNode = fields[.expect]
        else { return nil }
        guard case .sequence(let orderItems) = ordersNode.content else {
            decoder.wrongShape(ordersNode, expected: "a list of order lines", owner: owner)
            return nil
        }
        guard case .sequence(let expectItems) = expectNode.content else {
            decoder.wrongShape(expectNode, expected: "a list with one expectation per order line", owner: owner)
            return nil
        }
        if orderItems.count != expectItems.count {
            decoder.report(
                .badValue, "\(owner) has \(orderItems.count) order lines but \(expectItems.count) expectations",
                expected: "one 'expect' entry per order line", at: expectNode.location)
            return nil
        }
        let orders = orderItems.enumerated().map { OrderSource.record(from: $0.element, file: file, line: $0.element.location.line) }
        var expectations: [PackTest.Expectation] = []
        for item in expectItems {
            let expectOwner = "an expectation of \(owner)"
            guard let values = decoder.fields(of: item, owner: expectOwner) as Fields<ExpectKey>? else { return nil }
            let verdict = values[.verdict].flatMap { decoder.verdict($0, owner: expectOwner, allowed: Verdict.allCases) }
            var licence: String??
            if let node = values[.licence] { licence = node.isNull ? .some(nil) : decoder.text(node, owner: expectOwner).map { .some($0) } }
            var codes: [ReasonCode] = []
            for entry in decoder.textList(values[.codes], owner: expectOwner) ?? [] {
                guard let code = ReasonCode(rawValue: entry.text) else {
                    decoder.report(
                        .badValue, "'\(entry.text)' is not a reason code", expected: "a code such as 'covered' or 'no-licence'",
                        help: Suggestion.help(for: entry.text, in: ReasonCode.allCases.map(\.rawValue)), at: entry.location)
                    continue
                }
                codes.append(code)
            }
            let categories = values[.categories].flatMap { decoder.textList($0, owner: expectOwner) }?.map(\.text)
            expectations.append(
                PackTest.Expectation(verdict: verdict, licence: licence, codes: codes, categories: categories, source: item.location))
        }
        return PackTest(
            name: name, orders: orders, expectations: expectations, asOf: decoder.day(fields[.asOf], owner: owner),
            today: decoder.day(fields[.today], owner: owner), source: node.location)
    }
}
