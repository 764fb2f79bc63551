/// The engine's only output for one order line; reporters only format it.
public struct LineResult: Sendable {
    public var file: String
    public var line: Int
    public var id: String?
    public var verdict: Verdict
    /// The selected licence, or the smallest selected id when categories used different ones.
    public var licence: String?
    /// The applying categories, sorted by id.
    public var categories: [String]
    /// Sorted as contract §10.13 says.
    public var reasons: [Reason]
    /// The record as written, for reports that echo it or point into the order file.
    public var origin: RecordOrigin
}

// Delegates to the memberwise initializer, which the engine calls itself (with every `origin`),
// for the reason `OrderRecord` gives: about 330 instructions a W1 line.
extension LineResult {
    public init(
        file: String, line: Int, id: String?, verdict: Verdict, licence: String?, categories: [String], reasons: [Reason],
        origin: RecordOrigin? = nil
    ) {
        self.init(
            file: file, line: line, id: id, verdict: verdict, licence: licence, categories: categories, reasons: reasons,
            origin: origin ?? RecordOrigin(line: line))
    }
}

/// Why a line got its verdict, step by step, for `clearance explain`.
public struct LineTrace: Sendable {
    /// A party field and what it resolved to.
    public struct PartyStep: Sendable {
        public var role: String
        public var raw: String?
        public var resolution: PartyResolver.Resolution
    }

    /// A category: its condition, its dates and whether it applies.
    public struct CategoryStep: Sendable {
        public var id: String
        public var condition: TraceNode
        public var dates: Truth
        public var datesDetail: String
        public var applies: Truth
    }

    /// A candidate licence for a category and its checks.
    public struct LicenceStep: Sendable {
        public var category: String
        public var licence: String
        public var checks: [(name: String, truth: Truth, detail: String)]
        public var coverage: Truth
        public var selected: Bool
    }

    /// A pack-wide rule or a licence condition and its truth.
    public struct RuleStep: Sendable {
        public var id: String
        public var condition: TraceNode
    }

    public var date: Day?
    public var parties: [PartyStep] = []
    public var categories: [CategoryStep] = []
    public var licences: [LicenceStep] = []
    public var rules: [RuleStep] = []
}
