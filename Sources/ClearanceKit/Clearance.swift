import Foundation

/// The library's front door: load a pack, check order files, lint — what the CLI calls.
public enum Clearance {
    /// The tool's version, printed by `clearance --version` and in reports.
    public static let version = "0.1.0"

    /// The day of the run: `CLEARANCE_TODAY` (YYYY-MM-DD) when set, else today's UTC date.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> Day {
        if let text = environment["CLEARANCE_TODAY"], let day = Day(parsing: text) { return day }
        return Day(ordinal: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// `date` as UTC ISO 8601 (`2026-11-27T02:53:01Z`), as evidence records and ledger entries stamp it.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Opens every order file first (so that an unreadable one stops the run before anything is
    /// evaluated), then evaluates all records in order, carrying licence usage across files.
    ///
    /// - Parameters:
    ///   - keepResults: keep every result in the report; without it only the summary is kept and
    ///     memory stays constant (for streaming reporters).
    ///   - keepOrigins: keep the results' record origins (cells and positions) too.
    ///   - originCells: read records with their cells as written; without it `LineResult.origin`
    ///     holds only the line (for reporters that neither echo nor point into the order file).
    ///   - jobs: how many threads prepare lines; results are the same for every value, because only
    ///     the usage-free part of a line runs in parallel and lines are completed in input order.
    ///   - onResults: called with each batch of results, in input order, with the report index of
    ///     the batch's first line.
    /// - Returns: the report and the clearance warnings of the run.
    /// - Throws: `OrderReadError` for the first file that cannot be read.
    public static func check(
        pack: Pack, files: [String], format: OrderFormat?, options: EvaluationOptions, ledger: LimitLedger = LimitLedger(),
        limits: InputLimits = InputLimits(), jobs: Int = 1, keepResults: Bool = true, keepOrigins: Bool = true, originCells: Bool = true,
        onResults: (_ batch: [LineResult], _ firstIndex: Int) -> Void = { _, _ in }
    ) throws(OrderReadError) -> (report: EvaluationReport, warnings: [PackWarning]) {
        try check(
            evaluator: Evaluator(pack: pack, options: options, ledger: ledger), files: files, format: format, limits: limits, jobs: jobs,
            keepResults: keepResults, keepOrigins: keepOrigins, originCells: originCells, onResults: onResults)
    }

    /// `check` with an evaluator built already (its pack, options and committed usage).
    public static func check(
        evaluator: Evaluator, files: [String], format: OrderFormat?, limits: InputLimits = InputLimits(), jobs: Int = 1,
        keepResults: Bool = true, keepOrigins: Bool = true, originCells: Bool = true,
        onResults: (_ batch: [LineResult], _ firstIndex: Int) -> Void = { _, _ in }
    ) throws(OrderReadError) -> (report: EvaluationReport, warnings: [PackWarning]) {
        try check(
            evaluator: evaluator, files: files, format: format, limits: limits, jobs: jobs, keepResults: keepResults,
            keepOrigins: keepOrigins, originCells: originCells, caches: ResolutionCache.Pool(), onResults: onResults)
    }

    /// `check` with the threads' party resolution caches given.
    ///
    /// Tests hand it caches in a given state. A pool serves one pack only: its caches hold
    /// resolutions in that pack's register.
    static func check(
        evaluator: Evaluator, files: [String], format: OrderFormat?, limits: InputLimits = InputLimits(), jobs: Int = 1,
        keepResults: Bool = true, keepOrigins: Bool = true, originCells: Bool = true, caches: ResolutionCache.Pool,
        onResults: (_ batch: [LineResult], _ firstIndex: Int) -> Void = { _, _ in }
    ) throws(OrderReadError) -> (report: EvaluationReport, warnings: [PackWarning]) {
        let pack = evaluator.pack
        let options = evaluator.options
        var evaluator = evaluator
        var sources: [PendingSource] = []
        for file in files { sources.append(try OrderSource.pendingSource(path: file, format: format, limits: limits, cells: originCells)) }
        var results: [LineResult] = []
        var summary = EvaluationReport.Summary()
        var batch = PendingBatch(capacity: batchSize)
        // The pure phase runs on a copy that never sees usage; only `complete` draws.
        let preparer = evaluator
        /// Completes a batch in order; returns the lines completed here, for freeing.
        @discardableResult
        func complete(_ batch: consuming [BatchLine]) -> [PreparedLine] {
            var completed: [LineResult] = []
            completed.reserveCapacity(batch.count)
            var finished: [PreparedLine] = []
            for index in batch.indices {
                // Moved out, not copied: a line completed where it was prepared is not copied again
                // (and the batch, not shared, is not copied whole when a line is taken out).
                var line = BatchLine.taken
                swap(&line, &batch[index])
                let result: LineResult
                switch consume line {
                case .prepared(let prepared):
                    result = evaluator.complete(taking: prepared)
                    finished.append(prepared)
                case .completed(let done):
                    result = done
                case .taken:
                    preconditionFailure("a batch line was taken twice")
                }
                summary.count(result.verdict)
                completed.append(result)
            }
            onResults(completed, summary.lines - completed.count)
            if keepResults {
                results +=
                    keepOrigins
                    ? completed
                    : completed.map { result in
                        var result = result
                        result.origin = RecordOrigin(line: result.origin.line)
                        return result
                    }
            } else if jobs > 1 {
                Self.releaseInBackground(completed)
            }
            return finished
        }
        // With several jobs, the next batches are read and prepared in the background while the
        // oldest is completed and reported, in input order.
        var inFlight: [Background<[BatchLine]>] = []
        func completeOldest() {
            Self.releaseInBackground(complete(inFlight.removeFirst().take()))
        }
        func flush() {
            let full = batch
            batch = PendingBatch(capacity: batchSize)
            if jobs <= 1 {
                complete(Self.prepare(full, with: preparer, caches: caches, jobs: 1))
            } else {
                inFlight.append(Background { Self.prepare(full, with: preparer, caches: caches, jobs: jobs) })
                if inFlight.count > Self.batchesInFlight { completeOldest() }
            }
        }
        for source in sources {
            while source.fill(batch) { flush() }
        }
        if batch.count > 0 { flush() }
        while !inFlight.isEmpty { completeOldest() }
        let warnings = evaluator.clearanceWarnings()
        let report = EvaluationReport(
            pack: pack, asOf: options.asOf, results: results, namesFiles: files.count > 1, files: files, today: options.today,
            warnings: warnings.map(\.description), summary: summary)
        return (report, warnings)
    }

    /// Drops `values` on a worker thread: freeing a batch of lines (their facts, reasons and
    /// strings, made on the workers) took the reading thread, which completes and reports them in
    /// order, about a fifth of its time.
    static func releaseInBackground<Value: Sendable>(_ values: consuming Value) {
        DispatchQueue.global().async { [values] in withExtendedLifetime(values) {} }
    }

    /// Batches being prepared while the reading thread completes an older one.
    ///
    /// With one, the workers waited whenever the reading thread was slower than they were for a
    /// batch (1.73 of 2 cores busy on W1); with four batches of 1,024 lines in flight, W1 ran about
    /// 6 % faster than with one of 2,048, in as much memory (interleaved runs).
    static let batchesInFlight = 4

    /// Records prepared together; large enough to keep every thread busy, small enough to bound
    /// memory (8,192 held about 40 MB more than 2,048 on W1, no faster).
    static let batchSize = 1024

    /// A line of a batch after the threads are done with it: prepared, for `Evaluator.complete`
    /// in input order, or completed already, where completing it neither reads nor draws usage
    /// (`Evaluator.completesWithoutUsage`).
    enum BatchLine: Sendable {
        case prepared(PreparedLine)
        case completed(LineResult)
        /// What is left once a completed line's result is moved out.
        case taken
    }

    /// Decodes and prepares a batch on `jobs` threads; the result is in input order.
    ///
    /// A line whose completion reads and draws no usage (in W1 most: nine licences in ten have no
    /// limits) is completed on the thread that prepared it, while its facts and plans are in that
    /// core's cache, and not on the one thread that completes lines in order (which read them all
    /// from the other cores).
    static func prepare(_ batch: PendingBatch, with evaluator: Evaluator, caches: ResolutionCache.Pool, jobs: Int) -> [BatchLine] {
        // Each slice writes its lines into its own range of the result: per-slice arrays joined
        // afterwards copied every line (a retain and release of each part of a completed one).
        Concurrently.fill(batch.count, slices: jobs <= 1 ? 1 : jobs * 4) { range, output in
            prepare(batch, range, with: evaluator, caches: caches, into: output)
        }
    }

    /// `prepare` of the lines `range` of a batch, each initialized in `output` at its index.
    private static func prepare(
        _ batch: PendingBatch, _ range: Range<Int>, with evaluator: Evaluator, caches: ResolutionCache.Pool,
        into output: UnsafeMutableBufferPointer<BatchLine>
    ) {
        // Phase by phase over the whole slice (decode, facts, then `prepare(moving:facts:)`'s own
        // phases), not line by line: each phase's code stays in the instruction cache (line by
        // line, a W1 line missed it about 750 times, simulated by callgrind).
        //
        // The records are held in a buffer of their own and moved into their prepared lines: an
        // array of them was copied twice more (zipped, then stored), a retain and release for each
        // of a record's parts.
        // INVARIANT: every element is initialized by the loop and moved out exactly once by
        // `prepare(moving:facts:)`, so the buffer holds none when it is deallocated.
        let records = UnsafeMutableBufferPointer<OrderRecord>.allocate(capacity: range.count)
        defer { records.deallocate() }
        // The fields of the plain records' readable lines, moved into their facts below.
        // INVARIANT: as the records', every element is initialized here and moved out once below.
        let lines = UnsafeMutableBufferPointer<OrderLine.Values?>.allocate(capacity: range.count)
        defer { lines.deallocate() }
        // INVARIANT: as the records', every element is initialized here and moved out once by
        // `prepare(moving:facts:)`.
        let facts = UnsafeMutableBufferPointer<LineFacts?>.allocate(capacity: range.count)
        defer { facts.deallocate() }
        caches.withCache { cache in
            // With the thread's strings of repeating fields (`ResolutionCache.texts`).
            withUnsafeMutablePointer(to: &cache.texts) { texts in
                for (slot, index) in range.enumerated() {
                    batch.decode(
                        index, into: records.baseAddress.unsafelyUnwrapped + slot, line: lines.baseAddress.unsafelyUnwrapped + slot,
                        texts: texts)
                }
            }
            lookAhead(records, lines, with: evaluator.partyResolver, cache: cache)
            for index in records.indices {
                let record = records.baseAddress.unsafelyUnwrapped + index
                // A readable record's order line is moved into its facts, which hold it from here
                // on (`prepare(moving:facts:)` knows it was read by its facts): two references to
                // it were two atomic counts more on every line, one to take and one to drop.
                let readable = record.pointee.problems.isEmpty
                let line = lines.moveElement(from: index)
                facts.initializeElement(
                    at: index,
                    to: line != nil
                        ? evaluator.facts(line: consume line, readable: readable, cache: cache)
                        : evaluator.facts(order: readable ? record.pointee.order.take() : nil, readable: readable, cache: cache))
            }
        }
        // A copy for the slice: completing a line without usage changes nothing in it.
        var completer = evaluator
        var count = 0
        evaluator.prepare(moving: records, facts: facts) { offset, parts in
            output.initializeElement(
                at: range.lowerBound + offset,
                to: evaluator.completesWithoutUsage(parts) ? .completed(completer.complete(parts: parts)) : .prepared(PreparedLine(parts)))
            count += 1
        }
        precondition(count == range.count, "a slice is prepared line for line")
    }

    /// Makes the register look-ups of the customers and end users of a slice's readable lines that
    /// `cache` no longer answers (`PartyResolver.Lookahead`), in the order their facts resolve them,
    /// before any of their facts are worked out.
    ///
    /// Not inlined: in `prepare`, the loop made the facts of each line no longer inlined there.
    @inline(never)
    private static func lookAhead(
        _ records: UnsafeMutableBufferPointer<OrderRecord>, _ lines: UnsafeMutableBufferPointer<OrderLine.Values?>,
        with resolver: PartyResolver, cache: ResolutionCache
    ) {
        let (customers, endUsers) = (!cache.customer.caching, !cache.endUser.caching)
        guard customers || endUsers else { return }
        cache.customer.ahead.removeAll()
        cache.endUser.ahead.removeAll()
        for index in records.indices where records[index].problems.isEmpty {
            // A plain record's fields are in `lines`; any other record holds its order line.
            let line = lines.baseAddress.unsafelyUnwrapped + index
            let (customer, endUser) =
                line.pointee != nil
                ? (line.pointee?.customer, line.pointee?.endUser) : (records[index].order?.customer, records[index].order?.endUser)
            if customers, let customer { cache.customer.ahead.add(customer, in: resolver) }
            if endUsers, let endUser { cache.endUser.ahead.add(endUser, in: resolver) }
        }
        if customers { cache.customer.ahead.fetch(in: resolver) }
        if endUsers { cache.endUser.ahead.fetch(in: resolver) }
    }
}

/// Records read and not yet prepared, handed to the threads that prepare them by move.
///
/// An array was read element by element on the threads: each record (its field ranges, buffer
/// and header) was copied out and the array's copy released later, about 20 reference-count
/// operations a W1 line, most on objects all threads share (callgrind). Plain CSV records are
/// kept in the batch's own storage (`CSVOrderReader.fill`), the others as pending records.
final class PendingBatch: @unchecked Sendable {
    // INVARIANT: slots `0..<count` were initialized by `append` or `appendPlain` on one thread,
    // before the batch is handed to others; then each slot is taken at most once, by the one
    // thread whose slice holds it (`Concurrently.map` slices are disjoint); `slots` records it,
    // and `deinit` (after every taker is done) deinitializes the pending records never taken.
    // `plain` and `headers` are written only before the hand-over.
    private let records: UnsafeMutableBufferPointer<PendingRecord>
    private let plainRecords: UnsafeMutableBufferPointer<CSVOrderReader.PlainRecord>
    private let slots: UnsafeMutableBufferPointer<Slot>
    // Unchecked: written by one thread before the hand-over and only read after it (above); the
    // run-time exclusivity check of each access cost more than the rest of a plain record's look-up.
    @exclusivity(unchecked) private var plain: CSVOrderReader.PlainRecords
    /// The headers of the plain records, which hold them unowned.
    private var headers: [CSVOrderReader.Header] = []
    private(set) var count = 0

    /// What a slot holds.
    private enum Slot: UInt8 {
        case pending, plain, taken
    }

    init(capacity: Int) {
        records = .allocate(capacity: capacity)
        plainRecords = .allocate(capacity: capacity)
        slots = .allocate(capacity: capacity)
        plain = CSVOrderReader.PlainRecords(records: capacity)
    }

    deinit {
        for index in 0..<count where slots[index] == .pending { records.deinitializeElement(at: index) }
        records.deallocate()
        plainRecords.deallocate()
        slots.deallocate()
        plain.deallocate()
    }

    /// Whether the batch holds as many records as it has room for.
    var isFull: Bool { count == records.count }

    /// Adds a record; before the batch is handed over.
    func append(_ record: consuming PendingRecord) {
        precondition(count < records.count, "a pending batch is full")
        records.initializeElement(at: count, to: record)
        slots[count] = .pending
        count += 1
    }

    /// Adds the record at `start` of `buffer` (a CSV file's bytes) if it is plain; before the batch is handed over.
    ///
    /// Returns the index after the record's line feed (a blank line is skipped, not added); nil
    /// when the record is not plain (`CSVOrderReader.PlainRecords.scan`).
    func appendPlain(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, lineStart: Int, line: Int, offset: Int, header: CSVOrderReader.Header,
        maximumBytes: Int
    ) -> Int? {
        precondition(count < records.count, "a pending batch is full")
        guard
            let (end, record) = plain.scan(
                buffer, from: start, lineStart: lineStart, line: line, offset: offset, header: Unmanaged.passUnretained(header),
                maximumBytes: maximumBytes)
        else { return nil }
        if let record {
            if headers.last !== header { headers.append(header) }
            plainRecords.initializeElement(at: count, to: record)
            slots[count] = .plain
            count += 1
        }
        return end
    }

    /// Moves the pending record at `index` out; each index once.
    func take(_ index: Int) -> PendingRecord {
        precondition(index < count && slots[index] == .pending, "a pending record was taken twice, or is a plain one")
        slots[index] = .taken
        return records.moveElement(from: index)
    }

    /// Decodes the record at `index` into `output`, and its line's fields into `line`; each index once.
    ///
    /// A plain record's readable line comes apart from its record, not yet made an order line
    /// (`CSVOrderReader.decodeFields`; `line` is nil for any other record, which holds its order
    /// line).
    ///
    /// - Parameter texts: strings of earlier lines' repeating fields (`OrderFieldParser.read`).
    func decode(
        _ index: Int, into output: UnsafeMutablePointer<OrderRecord>, line: UnsafeMutablePointer<OrderLine.Values?>,
        texts: UnsafeMutablePointer<RepeatCache<String>>? = nil
    ) {
        precondition(index < count && slots[index] != .taken, "a pending record was taken twice")
        guard slots[index] == .plain else {
            output.initialize(to: take(index).decode())
            line.initialize(to: nil)
            return
        }
        slots[index] = .taken
        let record = plainRecords[index]
        // INVARIANT (above): `headers` holds the header until the batch is freed.
        record.header._withUnsafeGuaranteedRef { header in
            let view = plain.view(record)
            guard !CSVOrderReader.decodePlain(view, header, into: output, line: line, texts: texts) else { return }
            let (decoded, fields) = CSVOrderReader.decodeFields(view, header)
            output.initialize(to: decoded)
            line.initialize(to: fields)
        }
    }
}

/// Work started on a background thread; `value` waits for it.
public final class Background<Value: Sendable>: @unchecked Sendable {
    // INVARIANT: `result` is written once by the background task and read (or taken) only after
    // `group.wait()`, which orders that write before them; `value` and `take` are called by one
    // thread.
    private let group = DispatchGroup()
    private var result: Value?

    /// Starts `work` on a global queue.
    public init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async(group: group) { [self] in result = work() }
    }

    /// The work's result, once it is done, handed over: the task keeps no reference to it (so
    /// that the caller's is the last), and `value` is no longer available.
    public func take() -> Value {
        group.wait()
        guard let taken = result.take() else { preconditionFailure("a background task's result was taken twice") }
        return taken
    }

    /// The work's result, once it is done.
    public var value: Value {
        group.wait()
        guard let result else { preconditionFailure("a background task finished without a result") }
        return result
    }
}

/// Work split over threads and handed back in input order: how every parallel phase runs.
public enum Concurrently {
    /// Runs `body` at once on `slices` contiguous ranges that cover `0..<count` (fewer when
    /// `count` is smaller; on the calling thread alone for one) and returns the results in range
    /// order.
    public static func map<Result>(_ count: Int, slices: Int, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        let slices = max(1, min(count, slices))
        if slices == 1 { return [body(0..<count)] }
        let results = Slots<Result>(count: slices)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            results.store(body((slice * count / slices)..<((slice + 1) * count / slices)), at: slice)
        }
        return results.values
    }

    /// An array of `count` elements made by `body` on slices, as `map` runs them: each call
    /// initializes every element of its range in the buffer it is given (the whole result), so
    /// that no element is copied from a slice's array into the joined one.
    static func fill<Element>(
        _ count: Int, slices: Int, _ body: @Sendable (Range<Int>, UnsafeMutableBufferPointer<Element>) -> Void
    ) -> [Element] {
        Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            let output = UncheckedBuffer(buffer: buffer)
            _ = map(count, slices: slices) { range in body(range, output.buffer) }
            // INVARIANT: the slices cover `0..<count`, and each call initialized its range.
            initialized = count
        }
    }

    /// A buffer handed to the threads of `fill`, each writing its own elements.
    private struct UncheckedBuffer<Element>: @unchecked Sendable {
        // INVARIANT: the threads write disjoint elements, and the buffer outlives them.
        let buffer: UnsafeMutableBufferPointer<Element>
    }

    /// One slot per slice, each written by exactly one thread (disjoint indices).
    private final class Slots<Value>: @unchecked Sendable {
        // INVARIANT: each index is written once, by one thread, before `values` is read (after
        // `concurrentPerform` returns); the buffer never moves, so writers share no state.
        private let buffer: UnsafeMutableBufferPointer<Value?>

        init(count: Int) {
            buffer = .allocate(capacity: count)
            buffer.initialize(repeating: nil)
        }

        deinit {
            buffer.deinitialize()
            buffer.deallocate()
        }

        func store(_ value: Value, at index: Int) { buffer[index] = value }

        var values: [Value] { buffer.compactMap { $0 } }
    }
}
