/// What can be decided about a line without licence usage (see `Evaluator.prepare`).
///
/// A class: prepared lines are gathered from the threads and handed to `complete` one by one,
/// and as a struct each hand-over copied every field (a fifth of the main thread's time, perf).
public final class PreparedLine: @unchecked Sendable {
    // INVARIANT: `ownRecord`, `ownReasons` and `ownPlans` are written only by `takeParts`, on the
    // one thread that completes the line, after the thread that prepared it is done with it (the
    // hand-over orders the two); until then every thread only reads them.
    private var ownRecord: OrderRecord?
    private var ownReasons: [Reason]
    /// nil for a line that could not be read.
    let facts: LineFacts?
    /// The applying categories, as positions in the pack's categories (a copy of each category
    /// here and another in `complete` were 2 % of a W1 line).
    let applying: PositionSet
    /// For each applying `control: licence` category in order, what is known of its cover before
    /// usage; empty when traced (then `complete` works everything out).
    var plans: Evaluator.CoverPlans { ownPlans }
    private var ownPlans: Evaluator.CoverPlans
    /// Whether `complete` may read usage for the line: a plan is open, or leaves a licence with
    /// limits to choose from (`Evaluator.completesWithoutUsage`).
    let readsUsage: Bool

    /// A prepared line's contents as a value: what a line completed where it was prepared is
    /// handed in (`Evaluator.complete(parts:)`), without a prepared-line object for it (one was an
    /// allocation, a free and their reference counts for every line).
    ///
    /// Not copyable: passed from the phase that finishes it to the one that completes it, a
    /// copyable value was copied on the way (a retain and release of each of its parts).
    struct Parts: ~Copyable {
        /// Optional so that it can be moved out (`take()`); nil only once it has been.
        var record: OrderRecord?
        var reasons: [Reason]
        var facts: LineFacts?
        var applying: PositionSet
        var plans: Evaluator.CoverPlans
        var readsUsage: Bool
    }

    /// The line holding `parts`, moved in.
    init(_ parts: consuming Parts) {
        // Each part swapped out, not copied: a copy out of the parts was a retain, and a release
        // with them, of each.
        var parts = parts
        ownRecord = parts.record.take()
        ownReasons = []
        swap(&ownReasons, &parts.reasons)
        facts = parts.facts.take()
        applying = parts.applying
        ownPlans = .init()
        swap(&ownPlans, &parts.plans)
        readsUsage = parts.readsUsage
    }

    /// The record the line was prepared from.
    var record: OrderRecord {
        guard let ownRecord else { preconditionFailure("a prepared line was read after it was completed") }
        return ownRecord
    }

    /// The reasons found before usage.
    var reasons: [Reason] { ownReasons }

    /// Moves the record, reasons and plans out with the rest, for the run that completes its own
    /// lines, each once.
    ///
    /// Copied, the reasons were shared with the line and `complete` appending to them copied the
    /// array (an allocation and a retain of each reason, on the thread that completes in order);
    /// a plan's reason was retained and released as the plans were read.
    func takeParts() -> Parts {
        var (record, reasons, plans): (OrderRecord?, [Reason], Evaluator.CoverPlans) = (nil, [], .init())
        swap(&record, &ownRecord)
        swap(&reasons, &ownReasons)
        swap(&plans, &ownPlans)
        guard let record = record.take() else { preconditionFailure("a prepared line was completed twice") }
        return Parts(record: record, reasons: reasons, facts: facts, applying: applying, plans: plans, readsUsage: readsUsage)
    }

    /// The line's parts, copied: the line keeps them.
    var parts: Parts { Parts(record: record, reasons: reasons, facts: facts, applying: applying, plans: plans, readsUsage: readsUsage) }
}

/// Options that change how lines are evaluated.
public struct EvaluationOptions: Sendable {
    /// Evaluate every line as if shipped on this day (`--as-of`).
    public var asOf: Day?
    /// The day of the run, for the stale-pack check and clearance expiry (`CLEARANCE_TODAY`
    /// overrides the clock).
    public var today: Day?
    /// Manual sign-offs that turn matching review reasons into `cleared` (contract §4).
    public var clearances: [ManualClearance]

    public init(asOf: Day? = nil, today: Day? = nil, clearances: [ManualClearance] = []) {
        self.asOf = asOf
        self.today = today
        self.clearances = clearances
    }
}

/// Evaluates order lines against a pack, one after another in input order, carrying licence
/// usage from each line to the next (contract §3, §5, §10).
public struct Evaluator: Sendable {
    public let pack: Pack
    public let options: EvaluationOptions
    private let resolver: PartyResolver
    /// The pack's products as catalogue entries; every line's facts hold it.
    let catalogue: LineFacts.Catalogue
    private let conditions: ConditionEvaluator
    private let matcher: LicenceMatcher
    private let categoryIndex: CategoryIndex
    /// The categories whose conditions read only product facts, evaluated once per product.
    private let productCategories: ProductCategories
    /// nil when every rule is evaluated on every line (`indexesRules: false`, for tests).
    private let ruleIndex: RuleIndex?
    /// The conditions of the categories and of the rules, by position, compiled.
    private let categoryConditions: ConditionProgram
    private let ruleConditions: ConditionProgram
    /// Licences by category (in the pack's order of categories), then by holder.
    private let licencesByCategory: [[String: Holding]]
    /// The same, by the holder's register number (`PartyResolver.Entry.number`): a line's
    /// supplier is found without hashing its id (its entry comes with its resolution).
    ///
    /// Two flat tables rather than a dictionary of numbers for each category: a holder's row
    /// (`holderRows[number]`, -1 for a party that holds nothing), then its holding for a category
    /// (`holdingsByRow[row * categories + position]`). Hashing the number was about 3 % of a W1
    /// line's time (perf).
    private let holderRows: [Int32]
    private let holdingsByRow: [Holding?]
    /// The reasons every line of a run can get, built once instead of for each line.
    private let stalePackReason: Reason?
    /// The not-controlled reason alone, as a line reports it when it has no other.
    private let notControlledAlone: [Reason]
    /// The id of each category alone, by position: the categories of a line with one are
    /// shared, not a new array for every line.
    private let categoryIDs: [[String]]
    /// The listed-party reasons of each register party with listings, by its register number
    /// (`PartyResolver.Entry.number`; nil for a party on no list).
    private let listedReasons: [ListedReasons?]

    /// A listed party's reasons, one for each of its listings as a customer and as an end user,
    /// built once with their report forms: the message was built, and the reason written as
    /// JSON, anew on every line of a listed party (about a tenth of W1's lines).
    ///
    /// A class, immutable, marked immortal with the evaluator's shared objects.
    private final class ListedReasons: Sendable {
        /// By listing, in the entry's order; nil for a listing of a list the pack does not have.
        let reasons: [(customer: Reason, endUser: Reason)?]

        init(_ reasons: [(customer: Reason, endUser: Reason)?]) { self.reasons = reasons }
    }

    /// The licences one supplier holds for one category, sorted by id, with the reason each gives
    /// when it covers a line (its message was built anew for every covered line).
    ///
    /// A class: as a struct, every line's look-up copied it, a retain of each of its arrays.
    private final class Holding: Sendable {
        let licences: [Licence]
        /// Each licence's covered reason, alone in an array: a line it covers that has no other
        /// reason reports that array as its reasons (`Array.add(alone:)`).
        let covered: [[Reason]]
        /// Each licence's parties and destinations as numbers (`LicenceMatcher.Scope`).
        let scopes: [LicenceMatcher.Scope]

        /// The licences (in id order) with their scopes, for lines of `category`.
        init(_ licences: [(licence: Licence, scope: LicenceMatcher.Scope)], category: String) {
            self.licences = licences.map(\.licence)
            scopes = licences.map(\.scope)
            // Kept with their report forms: the same reason is reported on every line it covers.
            covered = licences.map { [Evaluator.coveredReason($0.licence, category: category).memoizingReports()] }
        }
    }
    public private(set) var ledger: LimitLedger
    /// The ids of the clearances that cleared at least one reason so far.
    public private(set) var usedClearances: Set<String> = []

    public init(pack: Pack, options: EvaluationOptions = EvaluationOptions(), ledger: LimitLedger = LimitLedger()) {
        self.init(pack: pack, options: options, ledger: ledger, indexesRules: true)
    }

    /// - Parameter indexesRules: skip the rules `RuleIndex` rules out (the same results; tests
    ///   compare the two).
    init(pack: Pack, options: EvaluationOptions, ledger: LimitLedger, indexesRules: Bool) {
        self.pack = pack
        self.options = options
        self.ledger = ledger
        let resolver = pack.partyResolver
        self.resolver = resolver
        catalogue = LineFacts.Catalogue(pack.products)
        conditions = ConditionEvaluator(pack: pack)
        matcher = LicenceMatcher(pack: pack)
        categoryIndex = CategoryIndex(categories: pack.categories)
        ruleIndex = indexesRules ? RuleIndex(rules: pack.rules) : nil
        categoryConditions = ConditionProgram(pack.categories.map(\.condition))
        let catalogue = catalogue
        let conditions = conditions
        productCategories = ProductCategories(
            categories: pack.categories, products: catalogue.skus, index: categoryIndex, program: categoryConditions,
            conditions: conditions, rules: ruleIndex
        ) { sku in LineFacts(line: OrderLine.Values(product: sku), pack: pack, resolver: resolver, catalogue: catalogue, asOf: nil) }
        ruleConditions = ConditionProgram(pack.rules.map(\.condition))
        var index: [String: [String: [(licence: Licence, scope: LicenceMatcher.Scope)]]] = [:]
        // Numbered on two threads (about 60 million instructions for W1's 2,000 licences: a
        // look-up of each named party).
        let licences = pack.licences
        let scopes = Concurrently.map(licences.count, slices: licences.count >= 256 ? 2 : 1) { range in
            range.map { LicenceMatcher.Scope(licences[$0], resolver: resolver) }
        }.joined()
        for (licence, scope) in zip(licences, scopes) {
            for category in Set(licence.categories) {
                index[category, default: [:]][licence.holder, default: []].append((licence, scope))
            }
        }
        // By position: a line looks its categories up by position, without hashing their ids.
        licencesByCategory = pack.categories.map { category in
            (index[category.id] ?? [:]).mapValues { Holding($0, category: category.id) }
        }
        // A holder the register does not have holds for no line's supplier.
        var rowOfNumber: [Int32: Int] = [:]
        var holdingsByRow: [Holding?] = []
        for (position, byHolder) in licencesByCategory.enumerated() {
            for (holder, holding) in byHolder {
                guard let number = resolver.entry(holder)?.number else { continue }
                let row: Int
                if let known = rowOfNumber[number] {
                    row = known
                } else {
                    row = rowOfNumber.count
                    rowOfNumber[number] = row
                    holdingsByRow += repeatElement(nil, count: pack.categories.count)
                }
                holdingsByRow[row * pack.categories.count + position] = holding
            }
        }
        var holderRows = [Int32](repeating: -1, count: Int(rowOfNumber.keys.max() ?? -1) + 1)
        for (number, row) in rowOfNumber { holderRows[Int(number)] = Int32(row) }
        (self.holderRows, self.holdingsByRow) = (holderRows, holdingsByRow)
        categoryIDs = pack.categories.map { [$0.id] }
        var listedReasons: [ListedReasons?] = []
        for party in pack.parties.values where !party.listings.isEmpty {
            guard let entry = resolver.entry(party.id) else { continue }
            let number = Int(entry.number)
            if listedReasons.count <= number { listedReasons += repeatElement(nil, count: number + 1 - listedReasons.count) }
            listedReasons[number] = ListedReasons(
                entry.listings.map { listing in
                    pack.lists[listing.list].map { list in
                        (
                            Self.listedReason(.customer, id: entry.id, list: list, listing: listing).memoizingReports(),
                            Self.listedReason(.endUser, id: entry.id, list: list, listing: listing).memoizingReports()
                        )
                    }
                })
        }
        self.listedReasons = listedReasons
        if let reviewBy = pack.info.reviewBy, let today = options.today, today > reviewBy {
            stalePackReason = Reason(
                verdict: .review, code: .stalePack, rule: pack.info.id,
                message: "pack \(pack.info.reference) was due for review on \(reviewBy); its rules are not trusted until reviewed",
                source: pack.info.source
            ).memoizingReports()
        } else {
            stalePackReason = nil
        }
        notControlledAlone = [
            Reason(
                verdict: .allow, code: .notControlled, rule: pack.info.id, message: "not controlled under \(pack.info.reference)",
                source: pack.info.source, field: "product"
            ).memoizingReports()
        ]
    }

    /// The party resolver built for the pack.
    public var partyResolver: PartyResolver { resolver }

    /// Marks the objects every line reads immortal (`Immortal`), so that the threads checking lines
    /// never write to their reference counts: the register entries, the licences with their
    /// scopes, holdings and covered reasons, the categories, the compiled conditions with their
    /// leaves and operands, the rule index, the catalogue entries and the reasons every run can
    /// give.
    ///
    /// For an evaluator kept until the process exits (the command line's): those objects are
    /// never freed afterwards.
    ///
    /// - Parameter orderFiles: the names of the order files the run reads, as it is given them:
    ///   every record and result read from one holds its name, as every reason with a source
    ///   holds its rule file's: one string object for each name that both threads counted, about
    ///   six atomic counts a W1 line (callgrind).
    public func markSharedObjectsImmortal(orderFiles: [String] = []) {
        for file in orderFiles { Immortal.mark(string: file) }
        // Every location in a rule file holds the one name its tree was given. The ids a line's
        // facts, reasons and result copy are marked too: longer than 15 bytes (as most real ids
        // are), each is a string object all threads count (W1 with ids made longer: 83 atomic
        // counts a line, 69 with them marked; W1's own ids are held inline).
        Immortal.mark(string: pack.info.source.file)
        for category in pack.categories {
            category.markImmortal()
            Immortal.mark(string: category.source.file)
            Immortal.mark(string: category.id)
        }
        for rule in pack.rules {
            Immortal.mark(string: rule.source.file)
            Immortal.mark(string: rule.id)
        }
        for licence in pack.licences {
            Immortal.mark(string: licence.source.file)
            Immortal.mark(string: licence.id)
            Immortal.mark(string: licence.holder)
            for condition in licence.conditions { Immortal.mark(string: condition.source.file) }
        }
        for list in pack.lists.values { Immortal.mark(string: list.id) }
        // A line of one category reports its shared array of the category's id.
        for ids in categoryIDs { Immortal.mark(array: ids) }
        Immortal.mark(array: holderRows)
        Immortal.mark(array: holdingsByRow)
        resolver.markEntriesImmortal()
        for byHolder in licencesByCategory {
            for holding in byHolder.values {
                Immortal.mark(holding)
                // Its arrays too: a line's cover plan holds the candidates and their covered reasons.
                Immortal.mark(array: holding.licences)
                Immortal.mark(array: holding.covered)
                for alone in holding.covered {
                    Immortal.mark(array: alone)
                    alone[0].markImmortal()
                }
                Immortal.mark(array: holding.scopes)
                for licence in holding.licences { licence.markImmortal() }
                for scope in holding.scopes { scope.markImmortal() }
            }
        }
        // The categories' and rules' condition leaves with their programs, which hold them all.
        categoryConditions.markImmortal()
        productCategories.markImmortal()
        ruleConditions.markImmortal()
        ruleIndex?.markImmortal()
        catalogue.markImmortal()
        Immortal.mark(array: listedReasons)
        for case let party? in listedReasons {
            Immortal.mark(party)
            Immortal.mark(array: party.reasons)
            for case let (customer, endUser)? in party.reasons {
                customer.markImmortal()
                endUser.markImmortal()
            }
        }
        Immortal.mark(array: notControlledAlone)
        notControlledAlone[0].markImmortal()
        stalePackReason?.markImmortal()
    }

    /// Evaluates one record and draws its usage.
    public mutating func evaluate(_ record: OrderRecord) -> LineResult {
        var trace: LineTrace?
        return evaluate(record, trace: &trace)
    }

    /// Evaluates one record, draws its usage, and returns the full trace of why.
    public mutating func explain(_ record: OrderRecord) -> (LineResult, LineTrace) {
        var trace: LineTrace? = LineTrace()
        let result = evaluate(record, trace: &trace)
        return (result, trace ?? LineTrace())
    }

    private var missingVerdict: Verdict { pack.info.defaults.missingData }

    private mutating func evaluate(_ record: OrderRecord, trace: inout LineTrace?) -> LineResult {
        let facts = facts(of: record)
        return complete(parts: prepareParts(record, facts: facts, trace: &trace), trace: &trace)
    }

    /// Evaluates what does not depend on licence usage: parties, lists, categories, prohibited and
    /// review controls, rules.
    ///
    /// Pure: any thread may run it, in any order (`--jobs`); `complete` then finishes the lines in
    /// input order.
    public func prepare(_ record: OrderRecord) -> PreparedLine {
        var trace: LineTrace?
        return prepare(record, facts: facts(of: record), trace: &trace)
    }

    /// The facts `prepare` evaluates `record` against; nil for a record that could not be read.
    func facts(of record: OrderRecord, cache: ResolutionCache? = nil) -> LineFacts? {
        facts(order: record.order, readable: record.problems.isEmpty, cache: cache)
    }

    /// `facts(of:)` of a record with `order` and, when `readable`, no problems: a batch passes the
    /// two parts, not the record (passed whole, it was copied, a retain of each of its parts).
    ///
    /// The order line is moved into the facts: bound by `guard let`, it was copied (a retain and
    /// release on every line).
    func facts(order: consuming OrderLine?, readable: Bool, cache: ResolutionCache?) -> LineFacts? {
        guard readable, let order = order.take() else { return nil }
        return facts(line: order.withValues { $0 }, readable: true, cache: cache)
    }

    /// `facts(order:readable:cache:)` of an order line's fields, moved into the facts (a batch
    /// decodes plain records without making an order line of their own).
    func facts(line: consuming OrderLine.Values?, readable: Bool, cache: ResolutionCache?) -> LineFacts? {
        guard readable, let line = line.take() else { return nil }
        return LineFacts(line: line, pack: pack, resolver: resolver, catalogue: catalogue, asOf: options.asOf, cache: cache)
    }

    /// `prepare` with the record's `facts(of:)` built already: a batch builds the facts of all its
    /// lines first, then prepares them, so each phase's code stays in the instruction cache.
    func prepare(_ record: consuming OrderRecord, facts: LineFacts?) -> PreparedLine {
        var trace: LineTrace?
        return prepare(record, facts: facts, trace: &trace)
    }

    /// Finishes a prepared line against the usage before it (licence coverage, limits, licence
    /// conditions, clearances) and draws its usage.
    public mutating func complete(_ line: PreparedLine) -> LineResult {
        var trace: LineTrace?
        return complete(parts: line.parts, trace: &trace)
    }

    /// Whether completing `line` reads no usage and changes nothing in the evaluator, so that any
    /// copy of it gives the same result at any point of a run: there are no clearances (whose use
    /// is recorded), and each licence category's plan is decided or leaves only licences without
    /// limits to choose from (`cover` then reads no usage, and a line draws only on limits).
    func completesWithoutUsage(_ line: PreparedLine) -> Bool { completesWithoutUsage(readsUsage: line.readsUsage) }

    /// `completesWithoutUsage` of a line's parts.
    func completesWithoutUsage(_ parts: borrowing PreparedLine.Parts) -> Bool { completesWithoutUsage(readsUsage: parts.readsUsage) }

    /// The rule both forms apply, to a line whose plans may (`readsUsage`) or may not read usage.
    private func completesWithoutUsage(readsUsage: Bool) -> Bool { options.clearances.isEmpty && !readsUsage }

    /// `complete`, taking the line's record and reasons over: for a run that completes each of
    /// its prepared lines once and reads none of them after.
    mutating func complete(taking line: PreparedLine) -> LineResult {
        var trace: LineTrace?
        return complete(parts: line.takeParts(), trace: &trace)
    }

    /// `complete` of a prepared line's parts, moved in.
    mutating func complete(parts: consuming PreparedLine.Parts) -> LineResult {
        var trace: LineTrace?
        return complete(parts: parts, trace: &trace)
    }

    private func prepare(_ record: consuming OrderRecord, facts: LineFacts?, trace: inout LineTrace?) -> PreparedLine {
        PreparedLine(prepareParts(record, facts: facts, trace: &trace))
    }

    private func prepareParts(_ record: consuming OrderRecord, facts: LineFacts?, trace: inout LineTrace?) -> PreparedLine.Parts {
        var work = beginPreparation(read: record.order != nil, problems: record.problems, facts: facts, trace: &trace)
        if let facts, work.readable {
            classify(&work, facts, trace: &trace)
            applyRules(&work, facts, trace: &trace)
            planCover(&work, facts, trace: &trace)
        }
        return finishPreparation(record, facts: facts, work)
    }

    /// `prepare` of a slice of records, phase by phase.
    ///
    /// Each phase (parties, categories, rules, licence plans) runs over the whole slice before the
    /// next, not line by line, so that its code stays in the instruction cache: the simulated
    /// instruction-cache misses of a W1 line went from 271 to 64 (callgrind, 32 KB I1). The
    /// results are those of `prepare` line by line (tested).
    ///
    /// - Parameters:
    ///   - records: moved out, each once, into the prepared lines; a record whose facts are given
    ///     may have had its order line moved into them (`Clearance.prepare`).
    ///   - facts: each record's `facts(of:)`, moved out the same way.
    ///   - emit: called with each record's index and prepared line's parts, in order.
    func prepare(
        moving records: UnsafeMutableBufferPointer<OrderRecord>, facts: UnsafeMutableBufferPointer<LineFacts?>,
        into emit: (_ index: Int, _ line: consuming PreparedLine.Parts) -> Void
    ) {
        precondition(facts.count == records.count, "a prepared slice has facts for each of its records")
        var trace: LineTrace?
        // Held in a buffer of their own and moved into the prepared lines, as the records and facts
        // are (from an array, each line's reasons were retained and released once more).
        // INVARIANT: every element is initialized by the first loop and moved out exactly once by
        // the last, so the buffer holds none when it is deallocated.
        let work = UnsafeMutableBufferPointer<Preparation>.allocate(capacity: records.count)
        defer { work.deallocate() }
        for index in records.indices {
            // The two parts read, not the record: passed whole, it was copied (a retain of each part).
            let record = records.baseAddress.unsafelyUnwrapped + index
            // The facts moved out and back, as `forEachReadable` does: read from the buffer, they
            // were copied (a retain and release on every line).
            // INVARIANT: the element is initialized again before the next one is read.
            let held = facts.moveElement(from: index)
            // Read when it has an order line, or facts (which may hold it instead).
            work.initializeElement(
                at: index,
                to: beginPreparation(
                    read: record.pointee.order != nil || held != nil, problems: record.pointee.problems, facts: held, trace: &trace))
            facts.initializeElement(at: index, to: consume held)
        }
        Self.forEachReadable(work, facts) { classify(&$0, $1, trace: &trace) }
        Self.forEachReadable(work, facts) { applyRules(&$0, $1, trace: &trace) }
        Self.forEachReadable(work, facts) { planCover(&$0, $1, trace: &trace) }
        // Handed over one by one: returned in an array, each line was retained as it was read
        // out of it and released with the array (two atomic counts a W1 line).
        for index in work.indices {
            emit(
                index,
                finishPreparation(records.moveElement(from: index), facts: facts.moveElement(from: index), work.moveElement(from: index)))
        }
    }

    /// Runs one phase of `prepare(moving:facts:)` on each readable line with its facts.
    ///
    /// The facts are moved out of their buffer for the phase and back: read from it, they were
    /// copied for each phase, a retain and release of each line's facts (atomic: 8 a W1 line).
    @inline(__always)
    private static func forEachReadable(
        _ work: UnsafeMutableBufferPointer<Preparation>, _ facts: UnsafeMutableBufferPointer<LineFacts?>,
        _ phase: (inout Preparation, borrowing LineFacts) -> Void
    ) {
        for index in work.indices where work[index].readable {
            // INVARIANT: the element is initialized again before the next one is read.
            guard let held = facts.moveElement(from: index) else {
                facts.initializeElement(at: index, to: nil)
                continue
            }
            phase(&work[index], held)
            facts.initializeElement(at: index, to: consume held)
        }
    }

    /// What `prepare` has found of a line between its phases.
    ///
    /// Not copyable: the prepared line takes its reasons and plans over without a copy of either.
    struct Preparation: ~Copyable {
        var reasons: [Reason]
        /// false: the record could not be read and is not evaluated (it has its reasons already).
        var readable: Bool
        /// The applying categories, as positions (`PreparedLine.applying`).
        var applying: PositionSet
        var plans = CoverPlans()
        /// Whether completing the line may read usage (`PreparedLine.readsUsage`); an unreadable
        /// line is finished with its problems alone.
        var readsUsage = false
        /// `LineFacts.catalogueOrdinal` of an untraced line, worked out once for the phases that
        /// use the per-product results (`ProductCategories`); nil when traced.
        var productOrdinal: Int? = nil
    }

    /// The first phase: an unreadable record's reasons, or a readable one's date and parties.
    ///
    /// - Parameters:
    ///   - read: whether the record has an order line; `problems`, what could not be read of it.
    private func beginPreparation(read: Bool, problems: [InputProblem], facts: LineFacts?, trace: inout LineTrace?) -> Preparation {
        // No storage until a reason is added (`Array.add`): a line that ends with one covered or
        // not-controlled reason reports a shared array of it.
        var reasons: [Reason] = []
        if let stalePackReason { reasons.add(stalePackReason) }
        // A record that could not be read gets no facts from `facts(of:)`; checked again here, so
        // that it is never evaluated, whatever facts it came with.
        guard facts != nil, read, problems.isEmpty else {
            for problem in problems {
                reasons.add(
                    Reason(verdict: .review, code: .inputError, rule: nil, message: problem.message, source: nil, field: problem.field))
            }
            if reasons.allSatisfy({ $0.code != .inputError }) {
                reasons.add(Reason(verdict: .review, code: .inputError, rule: nil, message: "the record could not be read", source: nil))
            }
            return Preparation(reasons: consume reasons, readable: false, applying: PositionSet(count: 0))
        }
        return beginPreparation(readable: facts.unsafelyUnwrapped, reasons: consume reasons, trace: &trace)
    }

    /// `beginPreparation` of a readable line, with its facts (unwrapped by the caller: bound by
    /// `guard let`, they were copied, a retain and release on every line).
    private func beginPreparation(readable facts: LineFacts, reasons: consuming [Reason], trace: inout LineTrace?) -> Preparation {
        var reasons = reasons
        trace?.date = facts.date
        if facts.date == nil {
            reasons.add(
                Reason(
                    verdict: missingVerdict, code: .missingData, rule: nil,
                    message: "no date: the line has no date and no --as-of was given", source: nil, field: "date"))
        }
        partyReasons(facts, into: &reasons, trace: &trace)
        if case .absent = facts.customer, !pack.lists.isEmpty {
            // Restricted-party screening needs a customer; a blank one is missing data, not a pass.
            reasons.add(
                Reason(
                    verdict: missingVerdict, code: .missingData, rule: nil,
                    message: "no customer: restricted-party screening needs the customer", source: nil, field: "customer"))
        }
        return Preparation(
            reasons: consume reasons, readable: true, applying: PositionSet(count: pack.categories.count),
            productOrdinal: trace == nil ? facts.catalogueOrdinal : nil)
    }

    /// The categories that apply, and the reasons of those that prohibit or need review.
    private func classify(_ work: inout Preparation, _ facts: LineFacts, trace: inout LineTrace?) {
        // Categories: those the HS code rules out are false without evaluation (not when tracing).
        var anyUnknown = false
        // A line whose product facts are its catalogue entry's takes the categories that read
        // only those as worked out for the product (`ProductCategories`); it evaluates the rest.
        let ordinal = work.productOrdinal
        var candidates: PositionSet
        var memoised = 0..<0
        if let ordinal {
            memoised = productCategories.entries(of: ordinal)
            candidates = PositionSet(count: pack.categories.count)
            for entry in memoised { candidates.insert(productCategories.position(at: entry)) }
            if !productCategories.lineDependent.isEmpty {
                var others = categoryIndex.candidates(hsCode: facts.hsCode)
                others.formIntersection(productCategories.lineDependent)
                candidates.formUnion(others)
            }
        } else {
            candidates = trace == nil ? categoryIndex.candidates(hsCode: facts.hsCode) : PositionSet(all: pack.categories.count)
        }
        // Categories and rules are read in place (`pack.categories[position].condition`) and
        // copied only when they apply: a copy of each, fields and all, was 3 % of a W1 line.
        var next = memoised.lowerBound
        for position in candidates {
            let condition: Truth
            if next < memoised.upperBound, productCategories.position(at: next) == position {
                condition = productCategories.truth(at: next)
                next += 1
            } else {
                condition = categoryConditions.evaluate(position, facts, conditions)
            }
            if case .false = condition, trace == nil { continue }
            let category = pack.categories[position]
            let dates = dateTruth(category, facts.date)
            let datesDetail = trace != nil ? dateDetail(category, facts.date) : ""
            let applies = condition && dates
            if trace != nil {
                trace?.categories.append(
                    LineTrace.CategoryStep(
                        id: category.id, condition: conditions.trace(category.condition, facts), dates: dates, datesDetail: datesDetail,
                        applies: applies))
            }
            switch applies {
            case .true:
                work.applying.insert(position)
            case .false:
                break
            case .unknown(let missing):
                anyUnknown = true
                let (message, field) = Self.cannotTell("category ", category.id, missing: missing)
                work.reasons.add(
                    Reason(
                        verdict: missingVerdict, code: .missingData, rule: category.id, message: message, source: category.source,
                        field: field))
            }
        }
        if work.applying.isEmpty && !anyUnknown { work.reasons.add(alone: notControlledAlone) }

        for position in work.applying where pack.categories[position].control != .licence {
            let category = pack.categories[position]
            switch category.control {
            case .prohibited:
                work.reasons.add(
                    Reason(
                        verdict: .deny, code: .prohibited, rule: category.id, message: "export of \(label(category)) is prohibited",
                        source: category.source, field: "product"))
            case .review:
                work.reasons.add(
                    Reason(
                        verdict: .review, code: .categoryReview, rule: category.id,
                        message: "\(label(category)) needs a case-by-case review", source: category.source, field: "product"))
            case .licence: break
            }
        }
    }

    /// The reasons of the pack-wide rules.
    private func applyRules(_ work: inout Preparation, _ facts: LineFacts, trace: inout LineTrace?) {
        // Those the index rules out are false without evaluation (not when tracing).
        if trace == nil, let ruleIndex {
            let product = work.productOrdinal.flatMap { productCategories.ruleCandidates(of: $0) }
            for position in ruleIndex.candidates(facts, conditions: conditions, product: product) {
                ruleReason(position, facts, into: &work.reasons, trace: &trace)
            }
        } else {
            for position in pack.rules.indices { ruleReason(position, facts, into: &work.reasons, trace: &trace) }
        }
    }

    /// The licence checks that do not read usage; none when traced (then `complete` works
    /// everything out).
    ///
    /// They run here, on any thread: `complete`, which runs in input order on one thread, is left
    /// with the limits (it was the longer of the two pipeline stages on two cores: `--jobs 2` kept
    /// 1.7 of them busy).
    private func planCover(_ work: inout Preparation, _ facts: LineFacts, trace: inout LineTrace?) {
        guard trace == nil else {
            work.readsUsage = true
            return
        }
        for position in work.applying where pack.categories[position].control == .licence {
            let plan = plan(position, facts)
            switch plan {
            case .decided: break
            case .limits(let candidates, _, let eligible):
                for index in eligible where !candidates[index].limits.isEmpty { work.readsUsage = true }
            case .open: work.readsUsage = true
            }
            work.plans.append(plan)
        }
    }

    /// The prepared line's parts, once every phase has run.
    ///
    /// The facts are moved in: borrowed, they were retained into the parts and the caller's copy
    /// released, two atomic counts on every line.
    private func finishPreparation(
        _ record: consuming OrderRecord, facts: consuming LineFacts?, _ work: consuming Preparation
    ) -> PreparedLine.Parts {
        // Swapped out: `work.reasons` passed on was a copy (a retain, and a release with `work`).
        var (reasons, plans) = ([Reason](), CoverPlans())
        swap(&reasons, &work.reasons)
        swap(&plans, &work.plans)
        var facts = facts
        if !work.readable { facts = nil }
        return PreparedLine.Parts(
            record: record, reasons: consume reasons, facts: consume facts, applying: work.applying, plans: consume plans,
            readsUsage: work.readsUsage)
    }

    /// The reason pack-wide rule `position` gives the line, if any.
    private func ruleReason(_ position: Int, _ facts: LineFacts, into reasons: inout [Reason], trace: inout LineTrace?) {
        let truth = ruleConditions.evaluate(position, facts, conditions)
        if case .false = truth, trace == nil { return }
        let rule = pack.rules[position]
        if trace != nil { trace?.rules.append(LineTrace.RuleStep(id: rule.id, condition: conditions.trace(rule.condition, facts))) }
        switch truth {
        case .true:
            reasons.add(
                Reason(
                    verdict: rule.verdict, code: .rule, rule: rule.id, message: render(rule.reason, facts), source: rule.source,
                    field: rule.condition.firstLeaf?.field.name))
        case .false: break
        case .unknown(let missing):
            let (message, field) = Self.cannotTell("rule ", rule.id, missing: missing)
            reasons.add(
                Reason(verdict: missingVerdict, code: .missingData, rule: rule.id, message: message, source: rule.source, field: field))
        }
    }

    /// The message of a truth that is unknown for want of `missing` — "cannot tell whether KIND ID
    /// applies: missing F, G" — and the order-line field the first missing field names.
    ///
    /// Written in one allocation, the one missing field (most often) without sorting: interpolated,
    /// with the fields sorted twice, the message was about 1,000 instructions (callgrind; a W1 line
    /// naming a party the register does not know gets one for each rule on it).
    private static func cannotTell(_ kind: String, _ id: String, missing: Set<String>) -> (message: String, field: String?) {
        let (list, first): (String, String?)
        if missing.count == 1, let only = missing.first {
            (list, first) = (only, only)
        } else {
            let sorted = missing.sorted()
            (list, first) = (sorted.joined(separator: ", "), sorted.first)
        }
        return (String(concatenating: "cannot tell whether ", kind, id, " applies: missing ", list), fieldName(first))
    }

    private mutating func complete(parts: consuming PreparedLine.Parts, trace: inout LineTrace?) -> LineResult {
        // Each part swapped out, not copied (as `PreparedLine.init`).
        var parts = parts
        var (reasons, linePlans) = ([Reason](), CoverPlans())
        swap(&reasons, &parts.reasons)
        swap(&linePlans, &parts.plans)
        guard let record = parts.record.take() else { preconditionFailure("a prepared line's parts without their record") }
        let applying = parts.applying
        guard let facts = parts.facts.take() else {
            return finish(record, reasons: consume reasons, categories: [], licence: nil)
        }
        // Licences: every category is checked against the usage before this line.
        // The licences chosen, each once, by id (an array: most lines have one; no dictionary per line).
        var selected = InlineFirstList<Licence>()
        var plans = (consume linePlans).makeIterator()
        for position in applying where pack.categories[position].control == .licence {
            if let licence = cover(position, plans.next(), facts, reasons: &reasons, trace: &trace),
                !selected.contains(where: { $0.id == licence.id })
            {
                selected.append(licence)
            }
        }
        if selected.count > 1 { selected = InlineFirstList(selected.sorted { $0.id < $1.id }) }
        for licence in selected {
            for condition in licence.conditions {
                let truth = conditions.evaluate(condition.condition, facts)
                if trace != nil {
                    trace?.rules.append(
                        LineTrace.RuleStep(id: "\(licence.id) condition", condition: conditions.trace(condition.condition, facts)))
                }
                switch truth {
                case .true:
                    reasons.add(
                        Reason(
                            verdict: condition.verdict, code: .licenceCondition, rule: licence.id, message: render(condition.reason, facts),
                            source: condition.source, field: condition.condition.firstLeaf?.field.name))
                case .false: break
                case .unknown(let missing):
                    let (message, field) = Self.cannotTell("a condition of licence ", licence.id, missing: missing)
                    reasons.add(
                        Reason(
                            verdict: missingVerdict, code: .missingData, rule: licence.id, message: message, source: condition.source,
                            field: field))
                }
            }
        }

        applyClearances(to: &reasons, facts)
        let categories = applying.count == 1 ? categoryIDs[applying.first ?? 0] : applying.map { pack.categories[$0].id }
        let result = finish(record, reasons: consume reasons, categories: categories, licence: selected.first?.id)
        if result.verdict != .deny {
            // Only limits read usage, so licences without limits draw nothing.
            // The order read only here: read for every line, it was retained and released on each.
            for licence in selected where !licence.limits.isEmpty {
                ledger.draw(
                    licence: licence.id, customer: facts.customer.id, quantity: facts[line: \.quantity], value: facts[line: \.value])
            }
        }
        return result
    }

    /// Turns review reasons answered by a clearance into `cleared` (allow), keeping them listed.
    private mutating func applyClearances(to reasons: inout [Reason], _ facts: LineFacts) {
        for clearance in options.clearances {
            if let expires = clearance.expires, let today = options.today, today > expires { continue }
            let applies: Bool
            if let orders = clearance.orders {
                applies = facts[line: \.id].map(orders.contains) ?? false
            } else if let condition = clearance.condition {
                applies = conditions.evaluate(condition, facts).isTrue
            } else {
                applies = false
            }
            guard applies else { continue }
            for index in reasons.indices {
                let reason = reasons[index]
                guard reason.verdict == .review, !ManualClearance.unclearableCodes.contains(reason.code),
                    clearance.clears.contains(reason.code.rawValue) || reason.rule.map(clearance.clears.contains) == true
                else { continue }
                reasons[index] = Reason(
                    verdict: .allow, code: .cleared, rule: reason.rule,
                    message: "cleared by \(clearance.id) (\(clearance.by), \(clearance.on)): \(reason.message)", source: reason.source,
                    field: reason.field)
                reasons[index].clearance = ClearanceStamp(
                    id: clearance.id, by: clearance.by, on: clearance.on, code: reason.code, source: clearance.source)
                usedClearances.insert(clearance.id)
            }
        }
    }

    /// Clearances that matched nothing, have expired, or name codes and ids that do not exist.
    public func clearanceWarnings() -> [PackWarning] {
        // The catalogue of a large pack takes milliseconds to build; most runs name no clearances.
        guard !options.clearances.isEmpty else { return [] }
        let ids = Set(pack.catalogue.keys)
        var warnings: [PackWarning] = []
        for clearance in options.clearances {
            for name in clearance.clears {
                if let code = ReasonCode(rawValue: name), ManualClearance.unclearableCodes.contains(code) {
                    warnings.append(
                        PackWarning(
                            .clearanceUnknownCode, "clearance '\(clearance.id)' names '\(name)', which cannot be cleared",
                            at: clearance.source))
                } else if ReasonCode(rawValue: name) == nil && !ids.contains(name) {
                    warnings.append(
                        PackWarning(
                            .clearanceUnknownCode, "clearance '\(clearance.id)' names '\(name)', which is no reason code or pack id",
                            help: Suggestion.help(for: name, in: ReasonCode.allCases.map(\.rawValue) + ids), at: clearance.source))
                }
            }
            if let expires = clearance.expires, let today = options.today, today > expires {
                warnings.append(
                    PackWarning(
                        .clearanceExpired, "clearance '\(clearance.id)' expired on \(expires) and was not applied", at: clearance.source))
            } else if !usedClearances.contains(clearance.id) {
                warnings.append(PackWarning(.clearanceUnused, "clearance '\(clearance.id)' matched no review reason", at: clearance.source))
            }
        }
        return warnings.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    /// The line's result; `licence` is the first of the chosen licences by id.
    private func finish(_ record: OrderRecord, reasons: consuming [Reason], categories: [String], licence: String?) -> LineResult {
        // Sorted in place: the reasons of a completed line are its own (no second array).
        var sorted = consume reasons
        if sorted.count > 1 { sorted.sort(by: Reason.reportOrder) }
        return LineResult(
            file: record.file, line: record.line, id: record.id, verdict: sorted.lazy.map { $0.verdict }.max() ?? .allow,
            licence: licence, categories: categories.count > 1 ? categories.sorted() : categories, reasons: sorted, origin: record.origin)
    }

    private func label(_ category: Category) -> String {
        category.title.map { "\(category.id) (\($0))" } ?? category.id
    }

    /// Whether the line's date is inside the category's effective window and outside its suspensions.
    private func dateTruth(_ category: Category, _ date: Day?) -> Truth {
        guard let date else {
            let bounded = category.effective.from != nil || category.effective.until != nil || !category.suspended.isEmpty
            return bounded ? .dateMissing : .true
        }
        guard category.effective.contains(date) else { return .false }
        return Truth(!category.suspended.contains { $0.window.contains(date) })
    }

    /// Why `dateTruth` came out as it did, for traces only.
    private func dateDetail(_ category: Category, _ date: Day?) -> String {
        guard let date else {
            return dateTruth(category, nil).isTrue
                ? "always in effect" : "no date to compare with the effective window \(category.effective)"
        }
        guard category.effective.contains(date) else { return "\(date) is outside the effective window \(category.effective)" }
        if let suspension = category.suspended.first(where: { $0.window.contains(date) }) {
            return "\(date) is inside the suspension \(suspension.window)" + (suspension.basis.map { " (\($0))" } ?? "")
        }
        return "\(date) is inside the effective window \(category.effective) and outside every suspension"
    }

    private func partyReasons(_ facts: LineFacts, into reasons: inout [Reason], trace: inout LineTrace?) {
        // Three calls rather than a loop over an array of roles: no array per line.
        partyReasons(.supplier, facts.supplier, nil, facts, into: &reasons, trace: &trace)
        partyReasons(.customer, facts.customer, facts.customerLists, facts, into: &reasons, trace: &trace)
        partyReasons(.endUser, facts.endUser, facts.endUserLists, facts, into: &reasons, trace: &trace)
    }

    /// - Parameter field: the party's field of the order line, whose text is read only for a
    ///   trace: read for every line, each of the three texts was copied (a name longer than 15
    ///   bytes retained and released, most of W1's). (Not a key path: one was made for each call.)
    private func partyReasons(
        _ field: Field, _ resolution: PartyResolver.Resolution, _ activeLists: Set<String>?, _ facts: LineFacts,
        into reasons: inout [Reason], trace: inout LineTrace?
    ) {
        // How messages name the party, worked out only for a message or a trace.
        var role: String { Self.role(field) }
        if trace != nil {
            let raw = facts.withLine { order in
                switch field {
                case .supplier: order.supplier
                case .customer: order.customer
                default: order.endUser
                }
            }
            trace?.parties.append(LineTrace.PartyStep(role: role, raw: raw, resolution: resolution))
        }
        switch resolution {
        case .absent:
            break
        case .unknown(let name):
            reasons.add(
                Reason(
                    verdict: pack.info.defaults.unknownParty, code: .unknownParty, rule: nil,
                    message: String(concatenating: role, " '", name, "' is not in the party register"), source: nil,
                    field: field.name))
        case .ambiguous(let name, let ids):
            reasons.add(
                Reason(
                    verdict: pack.info.defaults.unknownParty, code: .unknownParty, rule: nil,
                    message: "\(role) '\(name)' is ambiguous: it matches parties \(ids.map { "'\($0)'" }.joined(separator: ", "))",
                    source: nil, field: field.name))
        case .party(let id):
            // On no list at the line's date (most parties): nothing to say, and no look-up.
            if let activeLists, activeLists.isEmpty { return }
            if case .supplier = field { return }
            let entry = facts.entry(field)
            guard let listings = entry?.listings ?? pack.parties[id]?.listings else { return }
            // The reasons built once for the party's listings, when its entry is this register's.
            let built = entry.flatMap { entry -> ListedReasons? in
                let number = Int(entry.number)
                return entry.register == resolver.register && number < listedReasons.count ? listedReasons[number] : nil
            }
            for (position, listing) in listings.enumerated() {
                if let activeLists {
                    guard activeLists.contains(listing.list), listing.isUndated || facts.date.map(listing.window.contains) == true else {
                        continue
                    }
                    if let built {
                        guard let (customer, endUser) = built.reasons[position] else { continue }
                        if case .customer = field { reasons.add(customer) } else { reasons.add(endUser) }
                    } else if let list = pack.lists[listing.list] {
                        reasons.add(Self.listedReason(field, id: id, list: list, listing: listing))
                    }
                } else if !listing.isUndated, let list = pack.lists[listing.list] {
                    reasons.add(
                        Reason(
                            verdict: missingVerdict, code: .missingData, rule: list.id,
                            message: "cannot tell whether \(role) '\(id)' is on \(Self.name(of: list)): missing date",
                            source: listing.source, field: "date"))
                }
            }
        }
    }

    /// The reason a party `id` gives as the line's `field` (customer or end user) while `listing`
    /// on `list` counts.
    private static func listedReason(_ field: Field, id: String, list: RestrictedList, listing: Listing) -> Reason {
        let since = listing.window.from.map { String(concatenating: " since ", $0.description) } ?? ""
        let basis = listing.basis.map { String(concatenating: " (", $0, ")") } ?? ""
        return Reason(
            verdict: list.verdict, code: .listedParty, rule: list.id,
            message: String(concatenating: role(field), " '", id, "' is on ", name(of: list), since, basis), source: listing.source,
            field: field.name)
    }

    /// How messages name the party of a party field: "end user", else the field's name. (Matched,
    /// not compared with `==`: comparing the enum, which has cases with texts, copied it.)
    private static func role(_ field: Field) -> String { if case .endUser = field { "end user" } else { field.name } }

    /// How reasons name a list: "the TITLE (ID)", or "list 'ID'" for a list without a title.
    private static func name(of list: RestrictedList) -> String {
        list.title.map { String(concatenating: "the ", $0, " (", list.id, ")") } ?? String(concatenating: "list '", list.id, "'")
    }

    /// What `prepare` can tell of covering one `control: licence` category before any usage is
    /// known; `complete` finishes it with the usage before the line.
    enum CoverPlan: Sendable {
        /// No licence covers the line whatever has been used (every candidate fails a check other
        /// than its limits, or there is none): the reason is final.
        case decided(Reason)
        /// The candidates (positions in `candidates`) that pass every check but their limits; if
        /// none of them has room left, `complete` assesses every candidate as without a plan.
        case limits(candidates: [Licence], covered: [[Reason]]?, eligible: PositionSet)
        /// No candidate passes and some check is unknown: `complete` assesses every candidate.
        case open
    }

    /// The plans of a line's `control: licence` categories, in order (most lines have one).
    typealias CoverPlans = InlineFirstList<CoverPlan>

    /// The licences that may cover a line for the category at `categoryPosition`: the supplier's (with
    /// their covered reasons), or every holder's when the supplier is not known.
    private func candidates(_ categoryPosition: Int, _ facts: LineFacts) -> (licences: [Licence], holding: Holding?) {
        if let entry = facts.entry(.supplier, numberedBy: resolver.register) {
            let number = Int(entry.number)
            guard number < holderRows.count, holderRows[number] >= 0 else { return ([], nil) }
            let holding = holdingsByRow[Int(holderRows[number]) * pack.categories.count + categoryPosition]
            return (holding?.licences ?? [], holding)
        }
        let byHolder = licencesByCategory[categoryPosition]
        if let supplier = facts.supplier.id {
            let holding = byHolder[supplier]
            return (holding?.licences ?? [], holding)
        }
        // A missing or unresolved supplier makes the holder check unknown for every licence.
        return (byHolder.values.flatMap(\.licences).sorted { $0.id < $1.id }, nil)
    }

    /// The usage-free part of covering the category at `categoryPosition` (see `CoverPlan`).
    private func plan(_ categoryPosition: Int, _ facts: LineFacts) -> CoverPlan {
        let (candidates, holding) = self.candidates(categoryPosition, facts)
        // Read once: `holding?.scopes` in the loop copied the holding (a retain of each array).
        let scopes = holding?.scopes
        // A set of bits, not an array: no allocation for the line.
        var eligible = PositionSet(count: candidates.count)
        var open = false
        // Numbered once for every candidate; each decided by its scope alone when it can be.
        let parties = scopes.map { _ in LicenceMatcher.NumberedParties(facts, register: resolver.register) }
        for position in candidates.indices {
            let outcome =
                if let scopes, let parties, let outcome = matcher.usageFreeOutcome(scopes[position], parties, facts) {
                    outcome
                } else {
                    matcher.usageFreeOutcome(candidates[position], facts, scope: scopes?[position])
                }
            switch outcome {
            case .allTrue: eligible.insert(position)
            case .someFalse: break
            case .someUnknown: open = true
            }
        }
        if !eligible.isEmpty { return .limits(candidates: candidates, covered: holding?.covered, eligible: eligible) }
        if open { return .open }
        // Every candidate fails a check before its limits, so the limits change neither the
        // outcome nor the message (which names each candidate's first failed check).
        // Every candidate's coverage is false: none is unknown and none failed on a limit alone.
        let category = pack.categories[categoryPosition]
        guard !candidates.isEmpty else { return .decided(noCoverReason(category, facts, problems: [], missing: nil, limitOnly: false)) }
        // Each candidate's detail appended straight to the message's parts (made a string of its
        // own first, then gathered in an array of problems: three allocations more a deny line).
        var firstCheck: String?
        let summary = Self.noCoverSummary(category, candidates: candidates.count, licence: { candidates[$0].id }) { position, parts in
            let check = matcher.firstFalseUsageFreeDetail(candidates[position], facts, scope: scopes?[position], appendingTo: &parts)
            if position == 0 { firstCheck = check }
            return check != nil
        }
        return .decided(
            noCoverReason(
                category, summary: summary, decisiveField: firstCheck.flatMap(LicenceMatcher.field(ofCheck:)), missing: nil,
                limitOnly: false))
    }

    /// The summary of a no-cover reason with candidates: "no licence covers category C: " and each
    /// candidate's licence and problem, as `problem` appends its parts (false when the candidate
    /// has none: it "does not cover the line").
    ///
    /// The parts gathered, then written into one string: joined with `joined()`, or appended to a
    /// string one by one, they cost about 3,000 instructions more a reason (callgrind).
    @inline(__always)
    private static func noCoverSummary(
        _ category: Category, candidates count: Int, licence: (Int) -> String, problem: (Int, inout [String]) -> Bool
    ) -> String {
        // Room for every part at once (a problem is up to four parts, a candidate three more).
        var parts: [String] = []
        parts.reserveCapacity(3 + 8 * count)
        parts.append("no licence covers category ")
        parts.append(category.id)
        parts.append(": ")
        for position in 0..<count {
            if position > 0 { parts.append("; ") }
            parts.append(licence(position))
            parts.append(": ")
            if !problem(position, &parts) { parts.append(noProblem) }
        }
        return String(concatenating: parts)
    }

    /// What the no-cover message says of a candidate without a problem.
    private static let noProblem = "does not cover the line"

    /// Whether `lhs` is the licence to prefer over `rhs` when both cover a line: the one that
    /// expires first, then the smaller id.
    private static func earliest(_ lhs: Licence, _ rhs: Licence) -> Bool {
        switch (lhs.valid.until, rhs.valid.until) {
        case (let a?, let b?) where a != b: a < b
        case (.some, .none): true
        case (.none, .some): false
        default: lhs.id < rhs.id
        }
    }

    /// Finds the covering licence for the `control: licence` category at `categoryPosition`, or
    /// adds the reason why none does; `plan` is what `prepare` found out already.
    private func cover(
        _ categoryPosition: Int, _ plan: CoverPlan?, _ facts: LineFacts, reasons: inout [Reason], trace: inout LineTrace?
    ) -> Licence? {
        let category = pack.categories[categoryPosition]
        if trace == nil {
            switch plan {
            case .decided(let reason)?:
                reasons.add(reason)
                return nil
            case .limits(let candidates, let covered, let eligible)?:
                var chosen: Int?
                for position in eligible where matcher.limitsHold(candidates[position], facts, ledger: ledger) {
                    if let best = chosen, !Self.earliest(candidates[position], candidates[best]) { continue }
                    chosen = position
                }
                if let chosen {
                    reasons.add(alone: covered?[chosen] ?? [Self.coveredReason(candidates[chosen], category: category.id)])
                    return candidates[chosen]
                }
            case .open?, nil:
                break
            }
        }
        let (candidates, holding) = self.candidates(categoryPosition, facts)
        let earliest = Self.earliest
        if trace == nil {
            // Covered: the checks of the other licences are never shown, so they are not built.
            // A loop, not `lazy.filter(…).min(by:)`: that closure would copy the line's facts.
            // Licences are read in place, by position: a copy of each was 1 % of a W1 line.
            var chosen: Int?
            for position in candidates.indices where matcher.covers(candidates[position], facts, ledger: ledger) {
                if let best = chosen, !earliest(candidates[position], candidates[best]) { continue }
                chosen = position
            }
            if let chosen {
                reasons.add(alone: holding?.covered[chosen] ?? [Self.coveredReason(candidates[chosen], category: category.id)])
                return candidates[chosen]
            }
            reasons.add(noCoverReason(category, facts, candidates: candidates))
            return nil
        }
        let assessments = candidates.map { matcher.assess($0, facts, ledger: ledger, allDetails: trace != nil) }
        let chosen = assessments.filter { $0.coverage.isTrue }.map(\.licence).min(by: earliest)
        if trace != nil {
            for assessment in assessments {
                trace?.licences.append(
                    LineTrace.LicenceStep(
                        category: category.id, licence: assessment.licence.id,
                        checks: assessment.checks.map { ($0.name, $0.truth, $0.detail) }, coverage: assessment.coverage,
                        selected: assessment.licence.id == chosen?.id))
            }
        }
        if let chosen {
            reasons.add(Self.coveredReason(chosen, category: category.id))
            return chosen
        }
        reasons.add(noCoverReason(category, facts, assessments))
        return nil
    }

    /// Why no licence covers the line for `category`, from the assessment of every candidate.
    private func noCoverReason(_ category: Category, _ facts: LineFacts, _ assessments: [LicenceMatcher.Assessment]) -> Reason {
        // Each coverage worked out once (a deny line builds this reason for every category).
        let coverages = assessments.map(\.coverage)
        let unknown = coverages.contains { !$0.isTrue && !$0.isFalse }
        return noCoverReason(
            category, facts, problems: assessments.map { ($0.licence.id, $0.firstProblem) },
            missing: unknown ? Set(coverages.flatMap(\.missingFields)).sorted() : nil,
            limitOnly: assessments.contains { $0.failedOnlyOnLimit })
    }

    /// `noCoverReason(_:_:_:)` of the assessments of `candidates`, none of which covers the line,
    /// without building them (`LicenceMatcher.shortfall`): the same reason (tested against the
    /// traced evaluation, which assesses every candidate).
    private func noCoverReason(_ category: Category, _ facts: LineFacts, candidates: [Licence]) -> Reason {
        guard !candidates.isEmpty else { return noCoverReason(category, facts, problems: [], missing: nil, limitOnly: false) }
        // The missing fields in an array, each once: a set made for each unknown candidate and joined
        // was about 1,500 instructions a candidate (callgrind); a reason names one or two.
        var (missing, unknown, limitOnly) = ([String](), false, false)
        var firstProblem: String?
        let summary = Self.noCoverSummary(category, candidates: candidates.count, licence: { candidates[$0].id }) { position, parts in
            let shortfall = matcher.shortfall(candidates[position], facts, ledger: ledger, appendingProblemTo: &parts)
            if position == 0 { firstProblem = shortfall.problem }
            if !shortfall.isFalse, shortfall.problem != nil {
                unknown = true
                for field in shortfall.missing where !missing.contains(field) { missing.append(field) }
            }
            if shortfall.failedOnlyOnLimit { limitOnly = true }
            return shortfall.problem != nil
        }
        return noCoverReason(
            category, summary: summary, decisiveField: firstProblem.flatMap(LicenceMatcher.field(ofCheck:)),
            missing: unknown ? missing.sorted() : nil, limitOnly: limitOnly)
    }

    /// Why no licence covers the line for `category`: each candidate's first problem (its first
    /// failed check, else its first unknown one), what is missing when some coverage is unknown,
    /// and whether a candidate failed on a limit alone.
    private func noCoverReason(
        _ category: Category, _ facts: LineFacts, problems: [(licence: String, problem: LicenceMatcher.Check?)], missing: [String]?,
        limitOnly: Bool
    ) -> Reason {
        let summary =
            problems.isEmpty
            ? "supplier '\(facts.supplier.id ?? facts[line: \.supplier] ?? "(none)")' holds no licence for category \(category.id)"
            : Self.noCoverSummary(category, candidates: problems.count, licence: { problems[$0].licence }) { position, parts in
                guard let detail = problems[position].problem?.detail else { return false }
                parts.append(detail)
                return true
            }
        return noCoverReason(
            category, summary: summary, decisiveField: problems.first?.problem.flatMap { LicenceMatcher.field(ofCheck: $0.name) },
            missing: missing, limitOnly: limitOnly)
    }

    /// The no-cover reason of `summary`; `decisiveField` is the field of the first candidate's
    /// problem, nil for the supplier (no candidate, or a check that names no field); `missing`,
    /// sorted and each once, when some candidate's coverage is unknown.
    private func noCoverReason(
        _ category: Category, summary: String, decisiveField: String?, missing: [String]?, limitOnly: Bool
    ) -> Reason {
        let decisiveField = decisiveField ?? "supplier"
        if let missing {
            return Reason(
                verdict: missingVerdict, code: .missingData, rule: category.id,
                message: String(
                    concatenating: summary, " (missing ", missing.count == 1 ? missing[0] : missing.joined(separator: ", "), ")"),
                source: category.source,
                field: decisiveField)
        }
        return Reason(
            verdict: pack.info.defaults.noLicence, code: limitOnly ? .licenceLimit : .noLicence, rule: category.id, message: summary,
            source: category.source, field: decisiveField)
    }

    private static func coveredReason(_ licence: Licence, category: String) -> Reason {
        Reason(
            verdict: .allow, code: .covered, rule: licence.id, message: "covered by licence \(licence.id) for category \(category)",
            source: licence.source, field: "product")
    }

    /// The order-line field a missing-field description names: `customer ('X' is …)` → `customer`.
    static func fieldName(_ description: String?) -> String? {
        guard let description else { return nil }
        // Up to the first space byte (a space is one byte in UTF-8 and never part of another
        // character's): reading characters cost about 3,000 instructions a reason.
        let utf8 = description.utf8
        let word = String(description[..<(utf8.firstIndex(of: UInt8(ascii: " ")) ?? utf8.endIndex)])
        return word == "end" ? "end_user" : word
    }

    /// Fills a reason template with the line's values (`(none)` where the line has none).
    private func render(_ template: MessageTemplate, _ facts: LineFacts) -> String {
        // Up to five pieces (most templates: a field between two texts) in one allocation: appended
        // piece by piece to a string with room reserved, a message was about 2,100 instructions
        // (W1's rule reasons, callgrind); the pieces mapped to an array and joined, about 2,500.
        let pieces = template.pieces
        func piece(_ index: Int) -> String {
            switch pieces[index] {
            case .literal(let text): text
            case .field(let field): value(of: field, facts)
            }
        }
        switch pieces.count {
        case 1: return piece(0)
        case 2: return String(concatenating: piece(0), piece(1))
        case 3: return String(concatenating: piece(0), piece(1), piece(2))
        case 4: return String(concatenating: piece(0), piece(1), piece(2), piece(3))
        case 5: return String(concatenating: piece(0), piece(1), piece(2), piece(3), piece(4))
        default: break
        }
        // Written piece by piece into one string with room for the text (and about as much again
        // for the values).
        var message = ""
        message.reserveCapacity(template.text.utf8.count * 2)
        for index in pieces.indices { message += piece(index) }
        return message
    }

    /// A field's value as a reason template writes it (`(none)` when the line has none).
    private func value(of field: Field, _ facts: LineFacts) -> String {
        switch field {
        case .supplier: return facts[line: \.supplier] ?? "(none)"
        case .customer: return facts[line: \.customer] ?? "(none)"
        case .endUser: return facts[line: \.endUser] ?? "(none)"
        case .endUse: return facts[line: \.endUse] ?? "(none)"
        case .destination: return facts[line: \.destination] ?? "(none)"
        default:
            let (value, _) = conditions.value(of: field, facts)
            return value?.description ?? "(none)"
        }
    }
}

extension [Reason] {
    /// Appends `reason`, making room for a line's usual few reasons at once: grown from one, the
    /// array was copied as a line gathered them (about 2 allocations a W1 line).
    mutating func add(_ reason: Reason) {
        if count == capacity { reserveCapacity(Swift.max(4, count * 2)) }
        append(reason)
    }

    /// Adds the one reason of `alone`; to a line without reasons yet, `alone` itself, shared.
    ///
    /// Most W1 lines end with one reason, their licence's covered reason: shared (and immortal in
    /// the command line), it spares each such line an array and its atomic reference counts (an
    /// array is copied on its first change, so sharing changes no line's reasons).
    mutating func add(alone: [Reason]) {
        if isEmpty { self = alone } else { add(alone[0]) }
    }
}
