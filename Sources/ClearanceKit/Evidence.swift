import Crypto
import Foundation

/// A record of one `check` run for auditors: what was checked, against which pack, with which
/// options, and what came out.
///
/// Kept apart from the reports so that they stay byte-identical.
public struct EvidenceRecord: Encodable, Sendable {
    /// One file the run read, with its SHA-256 and size.
    public struct Input: Encodable, Sendable {
        public var path: String
        public var sha256: String
        public var bytes: Int
        public var lines: Int
    }

    public struct Tool: Encodable, Sendable {
        public var name = "clearance"
        public var version = Clearance.version
    }

    public struct PackRecord: Encodable, Sendable {
        public var id: String
        public var version: String
        public var digest: String
        public var path: String
        public var files: [String]
    }

    public struct Counts: Encodable, Sendable {
        public var lines: Int
        public var allow: Int
        public var review: Int
        public var deny: Int
    }

    public var tool = Tool()
    public var pack: PackRecord
    public var inputs: [Input]
    public var clearances: [Input]
    public var asOf: String?
    public var today: String?
    public var options: [String: String]
    public var summary: Counts
    public var warnings: [String]
    /// When the record was written (UTC, ISO 8601).
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case tool, pack, inputs, clearances, asOf = "as_of", today, options, summary, warnings, timestamp
    }

    /// Builds the record; input files are hashed from disk (standard input is recorded by name only).
    public init(
        report: EvaluationReport, pack: Pack, packPath: String, clearanceFiles: [String], options: [String: String], now: Date = Date()
    ) {
        self.pack = PackRecord(id: pack.info.id, version: pack.info.version, digest: pack.digest, path: packPath, files: pack.files)
        inputs = report.files.map(Self.input)
        clearances = clearanceFiles.map(Self.input)
        asOf = report.asOf?.description
        today = report.today?.description
        self.options = options
        summary = Counts(lines: report.summary.lines, allow: report.summary.allow, review: report.summary.review, deny: report.summary.deny)
        warnings = report.warnings
        timestamp = Clearance.timestamp(now)
    }

    /// The file's digest, size and line count, read a chunk at a time (order files can be large).
    static func input(_ path: String) -> Input {
        let descriptor = path == "-" ? -1 : open(path, O_RDONLY)
        guard descriptor >= 0 else { return Input(path: path, sha256: "", bytes: 0, lines: 0) }
        let source = ByteSource(descriptor: descriptor, closes: true)
        var hasher = SHA256()
        var (bytes, lines, last): (Int, Int, UInt8?) = (0, 0, nil)
        var chunk: [UInt8] = []
        while true {
            chunk.removeAll(keepingCapacity: true)
            source.read(appendingTo: &chunk)
            guard !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            bytes += chunk.count
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            last = chunk.last
        }
        guard source.failure == nil else { return Input(path: path, sha256: "", bytes: 0, lines: 0) }
        if let last, last != 0x0A { lines += 1 }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Input(path: path, sha256: "sha256:" + digest, bytes: bytes, lines: lines)
    }

    /// The record as pretty-printed JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
