import Foundation

/// The stable JSON report of contract §7: sorted keys, explicit nulls, byte-identical across runs.
///
/// It streams: `as_of`, `pack` and `results` come before `summary` in sorted key order.
public enum JSONReporter: StreamingReporter {
    public static let identifier = "json"
    public static let description = "the stable JSON report (contract §7)"
    public static let readsOrigins = false

    public static func begin(_ firstBatch: [LineResult], report: EvaluationReport, options: ReportOptions) -> (
        layout: ReportLayout, text: String
    ) {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        ReportJSON.writeIdentity(report, into: &writer)
        writer.key("results")
        return (ReportLayout(), String(decoding: writer.bytes, as: UTF8.self) + "[")
    }

    public static func line(
        _ result: LineResult, index: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions, into bytes: inout [UInt8]
    ) {
        lines([result][...], firstIndex: index, layout: layout, report: report, options: options, into: &bytes)
    }

    /// Room for a typical result, so that a slice's writer seldom grows (compact W1 lines average
    /// about 300 bytes).
    static let expectedLineBytes = 512

    /// The lines through one writer: a writer for each line allocated its buffer and copied it out
    /// (about 370 instructions a W1 line, callgrind).
    public static func lines(
        _ results: ArraySlice<LineResult>, firstIndex: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions,
        into bytes: inout [UInt8]
    ) {
        JSONWriter.write(appendingTo: &bytes, capacity: results.count * expectedLineBytes, pretty: true, depth: 2) { writer in
            ReportJSON.forEachResult(in: results) { position, result in
                if firstIndex + position > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.raw(0x0A)
                for _ in 0..<4 { writer.raw(0x20) }
                ReportJSON.write(at: result, namesFile: report.namesFiles, into: &writer)
            }
        }
    }

    public static func footer(_ report: EvaluationReport, options: ReportOptions) -> String {
        var writer = JSONWriter(pretty: true, depth: 1)
        ReportJSON.writeSummary(report.summary, into: &writer)
        let close = report.summary.lines == 0 ? "\n\n  ]" : "\n  ]"
        return close + ",\n  \"summary\" : " + String(decoding: writer.bytes, as: UTF8.self) + "\n}\n"
    }
}

/// JSON Lines: one result object per line as lines are evaluated, then one summary object.
public enum JSONLinesReporter: StreamingReporter {
    public static let identifier = "jsonl"
    public static let description = "one JSON object per line, then a summary object (streams)"
    public static let readsOrigins = false

    public static func begin(_ firstBatch: [LineResult], report: EvaluationReport, options: ReportOptions) -> (
        layout: ReportLayout, text: String
    ) {
        (ReportLayout(), "")
    }

    public static func line(
        _ result: LineResult, index: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions, into bytes: inout [UInt8]
    ) {
        lines([result][...], firstIndex: index, layout: layout, report: report, options: options, into: &bytes)
    }

    /// The lines through one writer (see `JSONReporter.lines`).
    public static func lines(
        _ results: ArraySlice<LineResult>, firstIndex: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions,
        into bytes: inout [UInt8]
    ) {
        JSONWriter.write(appendingTo: &bytes, capacity: results.count * JSONReporter.expectedLineBytes, pretty: false) { writer in
            ReportJSON.forEachResult(in: results) { _, result in
                ReportJSON.write(at: result, namesFile: report.namesFiles, into: &writer)
                writer.raw(0x0A)
            }
        }
    }

    public static func footer(_ report: EvaluationReport, options: ReportOptions) -> String {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        ReportJSON.writeIdentity(report, into: &writer)
        writer.key("summary")
        ReportJSON.writeSummary(report.summary, into: &writer)
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }
}

/// The shapes shared by the JSON and JSON Lines reports (keys in sorted order).
enum ReportJSON {
    /// Encodes any `Encodable` as the reports do (used for SARIF).
    static func encode(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `as_of` and `pack`, the members before `results`.
    static func writeIdentity(_ report: EvaluationReport, into writer: inout JSONWriter) {
        writer.member("as_of", report.asOf?.description)
        writer.key("pack")
        writer.beginObject()
        writer.member("digest", report.pack.digest)
        writer.member("id", report.pack.id)
        writer.member("version", report.pack.version)
        writer.endObject()
    }

    static func writeSummary(_ summary: EvaluationReport.Summary, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("allow", summary.allow)
        writer.member("deny", summary.deny)
        writer.member("lines", summary.lines)
        writer.member("review", summary.review)
        writer.endObject()
    }

    /// Writes a result's object, reading its fields where the result lies: compact (JSON Lines) or
    /// pretty at depth 2 (in the JSON report's `results`), the two places reports write results
    /// (`ResultLayout`).
    ///
    /// Through a pointer: a result taken from its array (or borrowed from it, or from its buffer
    /// by subscript) was copied first, a retain and release of each of its six strings and arrays,
    /// atomic ones, made on other threads (W1: 64 to 58 atomic counts a line, callgrind).
    @inline(__always)
    static func write(at result: UnsafePointer<LineResult>, namesFile: Bool, into writer: inout JSONWriter) {
        guard writer.pretty else { return write(at: result, namesFile: namesFile, layout: .compact, into: &writer) }
        precondition(writer.depth == 2, "a pretty result is written in the JSON report's results, at depth 2")
        write(at: result, namesFile: namesFile, layout: .inResults, into: &writer)
    }

    /// The fixed bytes between a result's values: without spaces (JSON Lines), or pretty at depth 2
    /// (a result in the JSON report's `results`).
    ///
    /// Written as runs of bytes, not key by key through the writer's nesting (its separators and
    /// keys were about 800 instructions a W1 line, callgrind); the same bytes.
    private struct ResultLayout {
        let opening, firstCategory, nextCategory, categoriesEnd, noCategoriesEnd: StaticString
        let file, id, licence, line: StaticString
        let reasons, firstReason, nextReason, reasonsEnd, noReasonsEnd, verdict, closing: StaticString
        /// How much deeper than the result's its reasons are written (their members indent by it).
        let reasonNesting: Int

        static var compact: ResultLayout {
            ResultLayout(
                opening: "{\"categories\":[", firstCategory: "", nextCategory: ",", categoriesEnd: "]", noCategoriesEnd: "]",
                file: ",\"file\":", id: ",\"id\":", licence: ",\"licence\":", line: ",\"line\":", reasons: ",\"reasons\":[",
                firstReason: "", nextReason: ",", reasonsEnd: "]", noReasonsEnd: "]", verdict: ",\"verdict\":", closing: "}",
                reasonNesting: 0)
        }

        static var inResults: ResultLayout {
            ResultLayout(
                opening: "{\n      \"categories\" : [", firstCategory: "\n        ", nextCategory: ",\n        ",
                categoriesEnd: "\n      ]", noCategoriesEnd: "\n\n      ]", file: ",\n      \"file\" : ", id: ",\n      \"id\" : ",
                licence: ",\n      \"licence\" : ", line: ",\n      \"line\" : ", reasons: ",\n      \"reasons\" : [",
                firstReason: "\n        ", nextReason: ",\n        ", reasonsEnd: "\n      ]", noReasonsEnd: "\n\n      ]",
                verdict: ",\n      \"verdict\" : ", closing: "\n    }", reasonNesting: 2)
        }
    }

    /// `write(at:namesFile:into:)` with the fixed bytes of `layout`.
    ///
    /// Inlined where the layout is made, so that its bytes are constants there: a layout passed as
    /// a value was copied for every result (about 430 instructions a W1 line, callgrind).
    @inline(__always)
    private static func write(
        at result: UnsafePointer<LineResult>, namesFile: Bool, layout: ResultLayout, into writer: inout JSONWriter
    ) {
        writer.raw(layout.opening)
        for position in 0..<result.pointee.categories.count {
            writer.raw(position > 0 ? layout.nextCategory : layout.firstCategory)
            writer.string(result.pointee.categories[position])
        }
        writer.raw(result.pointee.categories.isEmpty ? layout.noCategoriesEnd : layout.categoriesEnd)
        if namesFile {
            writer.raw(layout.file)
            writer.string(result.pointee.file)
        }
        writer.raw(layout.id)
        writer.string(result.pointee.id)
        writer.raw(layout.licence)
        writer.string(result.pointee.licence)
        writer.raw(layout.line)
        writer.integer(result.pointee.line)
        writer.raw(layout.reasons)
        writer.nest(layout.reasonNesting)
        for position in 0..<result.pointee.reasons.count {
            writer.raw(position > 0 ? layout.nextReason : layout.firstReason)
            write(result.pointee.reasons[position], into: &writer)
        }
        writer.nest(-layout.reasonNesting)
        writer.raw(result.pointee.reasons.isEmpty ? layout.noReasonsEnd : layout.reasonsEnd)
        writer.raw(layout.verdict)
        writer.raw(quotedName(of: result.pointee.verdict))
        writer.raw(layout.closing)
    }

    /// A verdict's name as a JSON string: no text to escape.
    @inline(__always)
    private static func quotedName(of verdict: Verdict) -> StaticString {
        switch verdict {
        case .allow: "\"allow\""
        case .review: "\"review\""
        case .deny: "\"deny\""
        }
    }

    /// Runs `body` with each result's offset in `results` and a pointer to it where it lies, for
    /// `write(at:namesFile:into:)`.
    @inline(__always)
    static func forEachResult(in results: ArraySlice<LineResult>, _ body: (_ offset: Int, _ result: UnsafePointer<LineResult>) -> Void) {
        results.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for offset in buffer.indices { body(offset, base + offset) }
        }
    }

    /// `write(at:namesFile:into:)` of a result held elsewhere than in a buffer of results.
    static func write(_ result: LineResult, namesFile: Bool, into writer: inout JSONWriter) {
        withUnsafePointer(to: result) { write(at: $0, namesFile: namesFile, into: &writer) }
    }

    /// Writes a reason's object; one the evaluator repeats on many lines is written once and
    /// its bytes reused (`Reason.memoizingReports()`).
    static func write(_ reason: Reason, into writer: inout JSONWriter) {
        guard let memo = reason.reportMemo else { return writeFields(reason, into: &writer) }
        let pretty = writer.pretty
        // The compact form read first, on its own: a closure to render it, made on every call,
        // retained the reason.
        if !pretty, let bytes = memo.compactBytes { return writer.append(written: bytes) }
        let depth = pretty ? writer.depth : 0
        // A writer only when the form is worked out, not for every pretty reason reported.
        func render() -> [UInt8] {
            var fresh = JSONWriter(pretty: pretty, depth: depth)
            writeFields(reason, into: &fresh)
            return fresh.bytes
        }
        if pretty {
            memo.prettyBytes(depth: depth, render: render).withUnsafeBufferPointer { writer.append(written: $0) }
        } else {
            writer.append(written: memo.keepCompact(render()))
        }
    }

    private static func writeFields(_ reason: Reason, into writer: inout JSONWriter) {
        // Without a clearance stamp (nearly every reason), compact or at the depth of a result's
        // reasons in the JSON report: the keys and punctuation as runs of fixed bytes, the same
        // bytes (as `ResultLayout`).
        if !reason.hasClearance {
            if !writer.pretty {
                return writeFields(
                    reason, opening: "{\"code\":", between: (",\"message\":", ",\"rule\":", ",\"source\":", ",\"verdict\":"), closing: "}",
                    into: &writer)
            }
            if writer.depth == 4 {
                return writeFields(
                    reason, opening: "{\n          \"code\" : ",
                    between: (
                        ",\n          \"message\" : ", ",\n          \"rule\" : ", ",\n          \"source\" : ",
                        ",\n          \"verdict\" : "
                    ),
                    closing: "\n        }", into: &writer)
            }
        }
        writer.beginObject()
        if let stamp = reason.clearance {
            writer.key("clearance")
            writer.beginObject()
            writer.member("by", stamp.by)
            writer.member("code", stamp.code.rawValue)
            writer.member("id", stamp.id)
            writer.member("on", stamp.on.description)
            writer.member("source", stamp.source)
            writer.endObject()
        }
        writer.member("code", reason.code.rawValue)
        writer.member("message", reason.message)
        writer.member("rule", reason.rule)
        writer.member("source", reason.source)
        writer.member("verdict", reason.verdict.name)
        writer.endObject()
    }

    /// A reason's members without a clearance stamp, between the fixed bytes given: `opening` up
    /// to the code's value, `between` up to the message's, rule's, source's and verdict's, and
    /// `closing` after it.
    @inline(__always)
    private static func writeFields(
        _ reason: Reason, opening: StaticString, between: (StaticString, StaticString, StaticString, StaticString), closing: StaticString,
        into writer: inout JSONWriter
    ) {
        writer.raw(opening)
        writer.string(reason.code.rawValue)
        writer.raw(between.0)
        writer.string(reason.message)
        writer.raw(between.1)
        writer.string(reason.rule)
        writer.raw(between.2)
        writer.location(reason.source)
        writer.raw(between.3)
        writer.raw(quotedName(of: reason.verdict))
        writer.raw(closing)
    }
}
