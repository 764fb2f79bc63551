/// Everything a `check` run found: the stable model every reporter formats (contract §7).
public struct EvaluationReport: Sendable {
    /// The pack's identity as reports show it.
    public struct PackIdentity: Sendable {
        public var id: String
        public var version: String
        public var digest: String
    }

    /// How many lines got each verdict.
    public struct Summary: Sendable, Equatable {
        public var lines = 0
        public var allow = 0
        public var review = 0
        public var deny = 0

        public init() {}

        /// Counts one line's verdict.
        public mutating func count(_ verdict: Verdict) {
            lines += 1
            switch verdict {
            case .allow: allow += 1
            case .review: review += 1
            case .deny: deny += 1
            }
        }

        /// The most severe verdict counted, or nil when there were no lines.
        public var worst: Verdict? {
            deny > 0 ? .deny : review > 0 ? .review : allow > 0 ? .allow : nil
        }
    }

    public var pack: PackIdentity
    public var asOf: Day?
    public var summary: Summary
    public var results: [LineResult]
    /// True when several order files were read, so every result names its file.
    public var namesFiles: Bool
    /// The order files, in the order given.
    public var files: [String]
    /// The day of the run (`CLEARANCE_TODAY` or the clock).
    public var today: Day?
    /// Every id a reason can name, with its title, legal basis and rule-pack position.
    public var catalogue: [String: PackEntryInfo]
    /// Problems with the run that are not about one line, such as clearances that matched nothing.
    public var warnings: [String]

    public init(
        pack: Pack, asOf: Day?, results: [LineResult], namesFiles: Bool, files: [String] = [], today: Day? = nil,
        warnings: [String] = [], summary counted: Summary? = nil
    ) {
        self.pack = PackIdentity(id: pack.info.id, version: pack.info.version, digest: pack.digest)
        self.asOf = asOf
        self.results = results
        self.namesFiles = namesFiles
        self.files = files.isEmpty ? Array(Set(results.map(\.file))).sorted() : files
        self.today = today
        self.warnings = warnings
        catalogue = pack.catalogue
        if let counted {
            summary = counted
        } else {
            summary = Summary()
            for result in results { summary.count(result.verdict) }
        }
    }
}
