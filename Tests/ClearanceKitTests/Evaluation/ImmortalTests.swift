import Testing

@testable import ClearanceKit

@Suite("Immortal objects")
struct ImmortalTests {
    /// Counts its deinitialisations.
    final class Counted: @unchecked Sendable {
        let onDeinit: () -> Void
        init(onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
        deinit { onDeinit() }
    }

    @Test("an object marked immortal is never freed once its references are gone; an unmarked one is")
    func markedObjectsAreNotFreed() {
        var freed: [String] = []
        do {
            let marked = Counted { freed.append("marked") }
            let unmarked = Counted { freed.append("unmarked") }
            Immortal.mark(marked)
            // Retained and released while immortal: still alive after.
            let copies = [marked, marked]
            #expect(copies.count == 2)
            _ = unmarked
        }
        #expect(freed == ["unmarked"])
    }

    @Test("an object marked while one reference holds it stays immortal once that reference is released")
    func markedWithOneReference() {
        // Marked at a strong count of one (no temporary reference, as in an optimised build), then
        // released: the runtime's release fast path subtracted from the marked count, turned it
        // into an ordinary huge count and stored it, and the object was counted again.
        let unmanaged = Unmanaged<AnyObject>.passRetained(Counted {})
        Immortal.mark(unretained: unmanaged)
        unmanaged.release()
        let before = _getRetainCount(unmanaged.takeUnretainedValue())
        _ = unmanaged.retain()
        _ = unmanaged.retain()
        #expect(_getRetainCount(unmanaged.takeUnretainedValue()) == before)
        unmanaged.release()
        #expect(_getRetainCount(unmanaged.takeUnretainedValue()) == before)
    }

    #if os(Linux) && arch(x86_64)
        @Test("a long string made at run time has storage of its own, counted with its copies; marked, the count stops")
        func markedStrings() throws {
            // Short and literal strings have none to mark.
            #expect(Immortal.storage(of: "SO-1") == nil)
            #expect(Immortal.storage(of: "/a/literal/path/longer/than/fifteen/bytes.csv") == nil)
            let name = ["orders", "2026", "december", "book.csv"].joined(separator: "/") + String(repeating: "x", count: 20)
            let storage = try #require(Immortal.storage(of: name))
            // The object found is the string's: each copy the array holds retains it.
            let before = _getRetainCount(storage)
            var copies = Array(repeating: name, count: 3)
            #expect(_getRetainCount(storage) == before + 3)
            Immortal.mark(string: name)
            // Immortal: copies no longer count.
            let marked = _getRetainCount(storage)
            copies += [name, name]
            #expect(_getRetainCount(storage) == marked)
            #expect(copies.allSatisfy { $0 == name } && copies[4].hasSuffix("book.csvxxxxxxxxxxxxxxxxxxxx"))
        }

        @Test("the command line's evaluator marks the ids and file names every line copies, as long as they are, and the catalogue")
        func evaluatorMarksSharedStrings() throws {
            let pack = try TestPack.load(
                """
                lists:
                  - {id: restricted-entities-list-2026, verdict: deny}
                parties:
                  - {id: shenzhen-example-magnet-co, name: Shenzhen Example}
                  - {id: a-customer-on-the-restricted-list, name: Listed, lists: [restricted-entities-list-2026]}
                categories:
                  - {id: CN-1C905-DY-NDFEB-MAGNET, control: licence, when: {hs_code: {prefix: ["8505"]}}}
                licences:
                  - {id: CN-GL-2025-0001-RENEWED, holder: shenzhen-example-magnet-co, valid: {from: 2026-01-01},
                     categories: [CN-1C905-DY-NDFEB-MAGNET], customers: all, destinations: all}
                rules:
                  - {id: CN-ENDUSE-MILITARY-PROHIBITED, verdict: deny, when: {end_use: [military]}, reason: military}
                """)
            let evaluator = Evaluator(pack: pack, options: EvaluationOptions())
            let orders = ["orders", "december", "book.csv"].joined(separator: "/") + String(repeating: "x", count: 16)
            let listed = try #require(pack.parties["a-customer-on-the-restricted-list"]?.listings.first)
            let strings = [
                orders, pack.categories[0].id, pack.categories[0].source.file, pack.rules[0].id, pack.licences[0].id,
                pack.licences[0].holder, try #require(pack.lists["restricted-entities-list-2026"]).id, listed.list,
                try #require(evaluator.partyResolver.entry("a-customer-on-the-restricted-list")).id,
            ]
            let storages = try strings.map { try #require(Immortal.storage(of: $0), "\($0) has storage of its own") }
            // The listed party's one list, as the set its lines' facts share.
            let onlyList = try #require(evaluator.partyResolver.entry("a-customer-on-the-restricted-list")?.onlyList)
            let setStorage = unsafeBitCast(onlyList, to: AnyObject.self)
            let unmarked = _getRetainCount(setStorage)
            var sets = [onlyList, onlyList]
            #expect(_getRetainCount(setStorage) == unmarked + 2)
            // The catalogue every line's facts hold.
            let catalogue = evaluator.catalogue
            let unmarkedCatalogue = _getRetainCount(catalogue)
            var catalogues = [catalogue, catalogue]
            #expect(_getRetainCount(catalogue) == unmarkedCatalogue + 2)
            evaluator.markSharedObjectsImmortal(orderFiles: [orders])
            let markedCatalogue = _getRetainCount(catalogue)
            catalogues += [catalogue, catalogue]
            #expect(_getRetainCount(catalogue) == markedCatalogue && catalogues.count == 4, "the catalogue is counted")
            let markedSet = _getRetainCount(setStorage)
            sets += [onlyList, onlyList]
            #expect(_getRetainCount(setStorage) == markedSet && sets.allSatisfy { $0 == ["restricted-entities-list-2026"] })
            for (string, storage) in zip(strings, storages) {
                let marked = _getRetainCount(storage)
                let copies = Array(repeating: string, count: 4)
                #expect(_getRetainCount(storage) == marked, "\(string) is counted")
                #expect(copies.count == 4)
            }
        }

        @Test("a licence and its scope, marked, are not counted through the collections a line's checks read")
        func markedLicenceCollections() throws {
            // The licence matcher's pack, with a licence that has conditions.
            let pack = try TestPack.load(
                LicenceMatcherTests.pack + """

                      - {id: L-CONDITIONS, holder: maker, valid: {from: 2026-01-01}, categories: [MAG], customers: all,
                         destinations: all, conditions: [{when: {quantity: {gt: 8 kg}}, verdict: review, reason: heavy}]}
                    """)
            let licences = try ["L-ACTIVE", "L-ALL", "L-CONDITIONS"].map { id in try #require(pack.licences.first { $0.id == id }) }
            let (licence, limited, conditional) = (licences[0], licences[1], licences[2])
            let scope = LicenceMatcher.Scope(licence, resolver: pack.partyResolver)
            func counted() throws -> [Bool] {
                [
                    Self.isCounted(try #require(licence.customers)), Self.isCounted(try #require(licence.endUsers)),
                    Self.isCounted(try #require(licence.destinations)), Self.isCounted(licence.excludedEndUses),
                    Self.isCounted(limited.limits), Self.isCounted(conditional.conditions), Self.isCounted(try #require(scope.customers)),
                    Self.isCounted(try #require(scope.endUsers)), Self.isCounted(try #require(scope.destinations)),
                ]
            }
            #expect(try counted() == Array(repeating: true, count: 9))
            for licence in licences { licence.markImmortal() }
            scope.markImmortal()
            #expect(try counted() == Array(repeating: false, count: 9))
        }

        @Test("a rule index, marked, is not counted through the arrays of rules a line's texts find")
        func markedRuleArrays() throws {
            let pack = try TestPack.load(
                """
                rules:
                  - {id: R-1, verdict: deny, when: {end_use: [military, weapons]}, reason: military}
                  - {id: R-2, verdict: review, when: {destination: [KP, IR]}, reason: embargo}
                  - {id: R-3, verdict: review, when: {destination: [IR]}, reason: more}
                """)
            let index = RuleIndex(rules: pack.rules)
            let arrays = index.ruleArrays.filter { $0.capacity > 0 }
            #expect(arrays.count >= 4)
            #expect(arrays.allSatisfy(Self.isCounted))
            index.markImmortal()
            #expect(!arrays.contains(where: Self.isCounted))
        }

        /// Whether copies of an array or a set (one reference, to its storage) count its storage.
        static func isCounted<Collection>(_ collection: Collection) -> Bool {
            let storage = unsafeBitCast(collection, to: AnyObject.self)
            let before = _getRetainCount(storage)
            let copies = [collection, collection]
            return withExtendedLifetime(copies) { _getRetainCount(storage) != before }
        }
    #endif
}
