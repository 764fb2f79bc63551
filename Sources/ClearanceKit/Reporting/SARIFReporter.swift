import Foundation

/// SARIF 2.1.0 for code-scanning consumers (GitHub, GitLab, Azure DevOps): one run, a rule for
/// every id that produced a review or deny, and a result per such reason, located at the order file
/// line (and the decisive field's column where known) with the rule-pack source as a related location.
public enum SARIFReporter: Reporter {
    public static let identifier = "sarif"
    public static let description = "SARIF 2.1.0 (GitHub code scanning and other SARIF consumers)"

    /// GitHub accepts at most this many results per run; the worst are kept.
    public nonisolated(unsafe) static var maximumResults = 25_000

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let workingDirectory = FileManager.default.currentDirectoryPath
        var findings = Finding.all(in: report)
        var notifications: [Notification] = []
        if findings.count > maximumResults {
            notifications.append(
                Notification(
                    level: "warning",
                    message: Message(
                        text: "\(findings.count) findings; only the \(maximumResults) most severe are included (GitHub's limit per run)")))
            findings = Array(findings.prefix(maximumResults))
        }
        for warning in report.warnings {
            notifications.append(Notification(level: "warning", message: Message(text: warning)))
        }
        var ruleIDs: [String] = []
        for finding in findings where !ruleIDs.contains(finding.ruleID) { ruleIDs.append(finding.ruleID) }
        ruleIDs.sort()
        let rules = ruleIDs.map { id in rule(id, report: report, example: findings.first { $0.ruleID == id }?.reason, workingDirectory) }
        let results = findings.map { finding -> Result in
            let position = finding.position
            let location = Location(
                physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(uri: ReportPath.uri(finding.result.file, workingDirectory: workingDirectory)),
                    region: Region(startLine: max(1, position.line), startColumn: position.column > 0 ? position.column : nil)),
                message: nil, id: nil)
            let related = finding.reason.source.map { source in
                [
                    Location(
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: ReportPath.uri(source.file, workingDirectory: workingDirectory)),
                            region: Region(startLine: source.line, startColumn: source.column)),
                        message: Message(text: "rule-pack source of \(finding.ruleID)"), id: 1)
                ]
            }
            let order = finding.result.id ?? "\(finding.result.file):\(finding.result.line)"
            return Result(
                ruleId: finding.ruleID, ruleIndex: ruleIDs.firstIndex(of: finding.ruleID) ?? 0,
                level: finding.reason.verdict == .deny ? "error" : "warning",
                message: Message(
                    text:
                        "\(finding.reason.verdict.name) [\(finding.reason.code.rawValue)] line \(finding.result.line) \(finding.result.id ?? ""): \(finding.reason.message)"
                ),
                locations: [location], relatedLocations: related,
                partialFingerprints: ["clearanceOrderRule/v1": "\(order):\(finding.ruleID):\(finding.reason.code.rawValue)"])
        }
        let log = Log(
            runs: [
                Run(
                    tool: Tool(driver: Driver(name: "Clearance", semanticVersion: Clearance.version, rules: rules)),
                    invocations: [
                        Invocation(executionSuccessful: true, toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
                    ],
                    results: results,
                    properties: [
                        "pack": "\(report.pack.id)@\(report.pack.version)", "packDigest": report.pack.digest,
                        "summary":
                            "\(report.summary.lines) lines: \(report.summary.allow) allow, \(report.summary.review) review, \(report.summary.deny) deny",
                    ])
            ])
        return ReportJSON.encode(log, pretty: true) + "\n"
    }

    private static func rule(_ id: String, report: EvaluationReport, example: Reason?, _ workingDirectory: String) -> ReportingDescriptor {
        let info = report.catalogue[id]
        let kind = info?.kind ?? "check"
        let title = info?.title ?? ReasonCode(rawValue: id).map { "Clearance \($0.rawValue) check" } ?? id
        var help = "\(kind.capitalized) \(id)"
        if let title = info?.title { help += ": \(title)" }
        if let basis = info?.basis { help += ". Legal basis: \(basis)" }
        if let source = info?.source { help += ". Defined at \(source)" }
        var properties = ["kind": kind]
        if let basis = info?.basis { properties["basis"] = basis }
        if let source = info?.source {
            properties["source"] = ReportPath.uri(source.file, workingDirectory: workingDirectory) + "#L\(source.line)"
        }
        return ReportingDescriptor(
            id: id, name: nil, shortDescription: Message(text: title),
            fullDescription: info?.basis.map { Message(text: "Legal basis: \($0)") },
            help: Message(text: help + "."),
            defaultConfiguration: Configuration(level: example?.verdict == .deny ? "error" : "warning"), properties: properties)
    }

    // MARK: SARIF object model (the subset Clearance writes)

    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var invocations: [Invocation]
        var columnKind = "unicodeCodePoints"
        var results: [Result]
        var properties: [String: String]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var semanticVersion: String
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String?
        var shortDescription: Message
        var fullDescription: Message?
        var help: Message
        var defaultConfiguration: Configuration
        var properties: [String: String]
    }

    struct Configuration: Encodable { var level: String }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]?
    }

    struct Notification: Encodable {
        var level: String
        var message: Message
    }

    struct Message: Encodable { var text: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [Location]?
        var partialFingerprints: [String: String]
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
        var message: Message?
        var id: Int?
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable { var uri: String }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }
}
