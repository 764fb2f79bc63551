import Foundation
import Testing

/// Golden files under `Tests/ClearanceKitTests/Snapshots/`, recorded only with `RECORD_SNAPSHOTS=1`.
///
/// Recording fails the test, so that no file is rewritten silently.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    /// Compares `text` with `Snapshots/<name>`, after replacing each key of `placeholders` by its value.
    static func assert(
        _ text: String, named name: String, placeholders: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var normalised = text
        for (value, placeholder) in placeholders.sorted(by: { $0.key.count > $1.key.count }) {
            normalised = normalised.replacingOccurrences(of: value, with: placeholder)
        }
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? normalised.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name); run the tests again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name); record it with RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
            return
        }
        #expect(
            normalised == expected, "snapshot \(name) differs; re-record with RECORD_SNAPSHOTS=1 if intended",
            sourceLocation: sourceLocation)
    }
}
