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

    public init(pack: Pack, asOf: Day?, results: [LineResult], namesFiles: Bool) {
        self.pack = PackIdentity(id: pack.info.id, version: pack.info.version, digest: pack.digest)
        self.asOf = asOf
        self.results = results
        self.namesFiles = namesFiles
        summary = Summary()
        for result in results { summary.count(result.verdict) }
    }
}
