import Crypto
import Foundation

/// Loads a rule-pack directory: every `*.yaml`/`*.yml` below it (sorted, recursively, skipping
/// `tests/` folders), validated as a whole.
///
/// Any error means no pack (fail closed).
public struct PackLoader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = InputLimits()) { self.limits = limits }

    /// Loads the pack at `path` (as the user gave it; locations are shown relative to it).
    /// - Throws: `PackLoadErrors` with every problem found, sorted by position.
    public func load(path: String) throws(PackLoadErrors) -> Pack {
        let decoder = NodeDecoder()
        let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        var sources: [(relative: String, bytes: [UInt8])] = []
        for relative in ruleFiles(root: root, decoder: decoder) {
            let display = root == "." ? relative : "\(root)/\(relative)"
            guard let data = FileManager.default.contents(atPath: display) else {
                decoder.report(.unreadable, "cannot read rule file '\(display)'", at: SourceLocation(file: display, line: 1, column: 1))
                continue
            }
            sources.append((relative, [UInt8](data)))
        }
        return try load(sources: sources, root: root, packPath: path, decoder: decoder)
    }

    /// Loads a pack from rule files already in memory (`relative` paths below `root`).
    /// - Throws: `PackLoadErrors` with every problem found, sorted by position.
    public func load(sources: [(relative: String, bytes: [UInt8])], root: String) throws(PackLoadErrors) -> Pack {
        try load(sources: sources, root: root, packPath: root, decoder: NodeDecoder())
    }

    private func load(
        sources: [(relative: String, bytes: [UInt8])], root: String, packPath: String, decoder: NodeDecoder
    ) throws(PackLoadErrors) -> Pack {
        var documents: [YAMLNode] = []
        var files: [String] = []
        let sorted = sources.sorted(by: { $0.relative < $1.relative })
        let display = sorted.map { root == "." ? $0.relative : "\(root)/\($0.relative)" }
        let limits = limits
        // A file over the size limit is neither parsed nor digested; it fails the load (below).
        let fits = sorted.map { $0.bytes.count <= limits.maximumRuleFileBytes }
        // The digest is worked out beside the parsing (SHA-256 of a large pack is a fifth of the
        // main thread's work).
        let digest = Background { Self.digest(of: zip(sorted, fits).filter(\.1).map(\.0)) }
        // Files are parsed in parallel (large packs load in about half the time on two cores),
        // largest first so that no thread is left with a big file at the end, then taken in file
        // order, so errors and documents come out as from a sequential read.
        let largestFirst = sorted.indices.sorted { sorted[$0].bytes.count > sorted[$1].bytes.count }
        let parsedLargestFirst = Concurrently.map(sorted.count, slices: sorted.count) { units in
            units.map { unit -> Result<[YAMLNode], YAMLReader.Problem>? in
                let position = largestFirst[unit]
                guard fits[position] else { return nil }
                return Result { () throws(YAMLReader.Problem) in
                    try YAMLReader(limits: limits).documents(in: sorted[position].bytes, file: display[position])
                }
            }
        }.flatMap { $0 }
        var parsed = [Result<[YAMLNode], YAMLReader.Problem>?](repeating: nil, count: sorted.count)
        for (unit, position) in largestFirst.enumerated() { parsed[position] = parsedLargestFirst[unit] }
        for (position, (relative, bytes)) in sorted.enumerated() {
            guard let result = parsed[position] else {
                decoder.report(
                    .yamlLimit,
                    "rule file is \(bytes.count) bytes, more than the limit of \(limits.maximumRuleFileBytes) (--max-rule-file-size)",
                    expected: "a smaller file; split the pack into several files",
                    at: SourceLocation(file: display[position], line: 1, column: 1))
                continue
            }
            files.append(relative)
            switch result {
            case .success(let found): documents += found
            case .failure(let error): decoder.report(PackLoadError(yaml: error))
            }
        }
        // References may be defined in a file that did not parse: report only the YAML errors.
        if !decoder.errors.isEmpty { throw PackLoadErrors(errors: decoder.errors, packPath: packPath) }
        var packDecoder = PackDecoder(decoder: decoder, root: root)
        let pack = packDecoder.decode(documents: documents, files: files, digest: digest.value)
        guard decoder.errors.isEmpty, let pack else {
            throw PackLoadErrors(errors: decoder.errors, packPath: packPath)
        }
        return pack
    }

    /// The rule files below `root`, relative to it, sorted; `tests/` folders and hidden entries skipped.
    private func ruleFiles(root: String, decoder: NodeDecoder) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            decoder.report(
                .missingPack, "no rule pack at '\(root)'", expected: "a directory of *.yaml rule files",
                help: "pass --rules DIR or set CLEARANCE_RULES", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        guard isDirectory.boolValue else {
            decoder.report(
                .missingPack, "'\(root)' is a file, not a rule-pack directory", expected: "a directory of *.yaml rule files",
                help: "pass the directory that holds it", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            decoder.report(.unreadable, "cannot list rule pack '\(root)'", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") || $0 == "tests" }) { continue }
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// `sha256:` over, for each file in sorted order: its relative path, a NUL byte, its size in
    /// decimal, a NUL byte, and its bytes.
    ///
    /// Paths are taken relative to the deepest folder holding every rule file, so `--rules Rules`
    /// and `--rules Rules/cn-rare-earth` give the same digest for the same pack.
    static func digest(of files: [(relative: String, bytes: [UInt8])]) -> String {
        var common = files.first.map { $0.relative.split(separator: "/").dropLast() } ?? []
        for file in files {
            let folders = file.relative.split(separator: "/").dropLast()
            while !folders.starts(with: common) { common = common.dropLast() }
        }
        let prefix = common.isEmpty ? "" : common.joined(separator: "/") + "/"
        var hasher = SHA256()
        for file in files.sorted(by: { $0.relative < $1.relative }) {
            let path = String(file.relative.dropFirst(prefix.count))
            hasher.update(data: Array(path.utf8) + [0] + Array(String(file.bytes.count).utf8) + [0])
            hasher.update(data: file.bytes)
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
