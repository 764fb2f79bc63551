/// Turns the named fields of one record (from any order format) into an `OrderLine`,
/// collecting an `InputProblem` for every field that cannot be read (contract §6, §10.9–10).
struct OrderFieldParser {
    /// A field value as the formats deliver it.
    enum RawValue {
        case text(String)
        /// Text already without leading and trailing spaces and known to hold no NUL (CSV fields,
        /// trimmed as bytes: trimming and checking them again as strings was 3 % of a W1 line).
        case trimmed(String)
        /// A JSON number, kept as its exact text.
        case number(String)
        case mapping([(key: String, value: RawValue)])
        /// Present but of a shape the field cannot take (a list, true/false).
        case invalid(String)
    }

    /// The fixed names.
    enum Known: Sendable {
        case id, supplier, customer, endUser, destination, endUse, date, quantity, value, hsCode, product, composition, attributes
    }

    /// What a field name means, worked out once per name: a CSV file does it once per column
    /// instead of once per field (the look-up was a tenth of the time spent reading a CSV line).
    enum Target: Sendable {
        case known(Known)
        /// `composition.Dy`: the element.
        case element(String)
        /// `attributes.form`: the attribute.
        case attribute(String)
        /// Any other name: carried through untouched.
        case other
    }

    private static let known: [String: Known] = [
        "id": .id, "supplier": .supplier, "customer": .customer, "end_user": .endUser, "destination": .destination,
        "end_use": .endUse, "date": .date, "quantity": .quantity, "value": .value, "hs_code": .hsCode, "product": .product,
        "composition": .composition, "attributes": .attributes,
    ]

    /// What `name` means to `add`.
    static func target(of name: String) -> Target {
        if let field = known[name] { return .known(field) }
        if name.hasPrefix("composition.") { return .element(String(name.dropFirst("composition.".count))) }
        if name.hasPrefix("attributes.") { return .attribute(String(name.dropFirst("attributes.".count))) }
        return .other
    }

    /// The line read so far, written where `read` keeps it: a line of the parser's own was swapped
    /// out for an empty one at the end, whose dozen fields were then released with the parser
    /// (about 425 instructions a W1 line, callgrind).
    private let line: UnsafeMutablePointer<OrderLine.Values>
    /// The strings of earlier lines' repeating fields (`PlainText.repeats`), when the caller keeps them.
    private let texts: UnsafeMutablePointer<RepeatCache<String>>?
    /// The problems found so far, in the order of the fields.
    private var problems: [InputProblem] = []
    private var composition: [String: Percentage]?
    private var fieldCount = 0
    /// `SmallASCIIString.isSupported`, read once a record.
    private let smallStrings = SmallASCIIString.isSupported

    private init(into line: UnsafeMutablePointer<OrderLine.Values>, texts: UnsafeMutablePointer<RepeatCache<String>>?) {
        (self.line, self.texts) = (line, texts)
    }

    /// Reads one record's fields; `column` gives a field's 1-based column where known.
    static func parse(_ fields: [(name: String, value: RawValue, column: Int?)], limits: InputLimits = InputLimits()) -> (
        OrderLine, [InputProblem]
    ) {
        let (_, line, problems) = read(limits: limits) { parser in
            for (name, value, column) in fields { parser.add(name, target(of: name), value, column: column) }
        }
        return (OrderLine(line), problems)
    }

    /// Adds a record's fields with `body`, then checks the limits on the whole line: the line's
    /// fields (not yet made an order line: `LineFacts` takes them as they are), its problems and
    /// what `body` returned.
    ///
    /// - Parameter texts: strings of the repeating fields of lines read before, to reuse and add to
    ///   (one thread's: `ResolutionCache.texts`).
    @inline(__always)
    static func read<Outcome>(
        limits: InputLimits, texts: UnsafeMutablePointer<RepeatCache<String>>? = nil, _ body: (inout OrderFieldParser) -> Outcome
    ) -> (
        outcome: Outcome, line: OrderLine.Values, problems: [InputProblem]
    ) {
        var line = OrderLine.Values()
        let (outcome, problems) = withUnsafeMutablePointer(to: &line) { pointer in
            var parser = OrderFieldParser(into: pointer, texts: texts)
            let outcome = body(&parser)
            return (outcome, parser.finish(limits: limits))
        }
        return (outcome, line, problems)
    }

    /// The line's problems, once every field is added.
    private mutating func finish(limits: InputLimits) -> [InputProblem] {
        if let count = composition?.count, count > limits.maximumCompositionElements {
            problems.append(
                InputProblem(
                    field: "composition",
                    message:
                        "the composition has \(count) elements, more than the limit of \(limits.maximumCompositionElements) (--max-composition)"
                ))
        }
        if fieldCount > limits.maximumFields {
            problems.append(
                InputProblem(
                    field: nil,
                    message: "the record has \(fieldCount) fields, more than the limit of \(limits.maximumFields) (--max-fields)"))
        }
        line.pointee.composition = composition
        return problems
    }

    private mutating func problem(_ field: String, _ column: Int?, _ message: String) {
        problems.append(InputProblem(field: field, column: column, message: message))
    }

    // Inlined, like `add`: the field value's enum is then taken apart where it is made, without a
    // retain and release of its text (about 230 instructions a W1 line, callgrind).
    @inline(__always)
    private mutating func text(_ name: String, _ value: RawValue, _ column: Int?) -> String? {
        switch value {
        case .text(let text):
            let trimmed = text.trimmingSpaces
            if trimmed.containsNUL {
                problem(name, column, "\(name) contains a NUL character")
                return nil
            }
            return trimmed.isEmpty ? nil : trimmed
        case .trimmed(let text): return text.isEmpty ? nil : text
        case .number(let number): return number
        case .mapping: problem(name, column, "\(name) must be text, not an object"); return nil
        case .invalid(let shape): problem(name, column, "\(name) must be text, not \(shape)"); return nil
        }
    }

    private mutating func addElement(_ element: String, _ percentText: String?, number: Bool, _ name: String, _ column: Int?) {
        guard ISOCodes.elementSet.contains(element) else {
            let hint = Suggestion.nearest(to: element, in: ISOCodes.elements).map { "; did you mean '\($0)'?" } ?? ""
            problem(name, column, "composition element '\(element)' is not a chemical element symbol\(hint)")
            return
        }
        guard let percentText else { return }
        let percentage = number ? Percentage.fromNumber(Substring(percentText)) : Percentage.parse(percentText)
        guard let percentage else {
            problem(
                name, column,
                "composition \(element) '\(percentText)' is not a percentage; expected a number from 0 to 100 followed by '%', e.g. '2.5%'"
            )
            return
        }
        if composition?[element] != nil {
            problem(name, column, "composition gives \(element) twice")
            return
        }
        composition = (composition ?? [:]).merging([element: percentage]) { first, _ in first }
    }

    private static let quantityExpected = "a number and one of the units g, kg, t, pcs, e.g. '500 kg'"
    private static let valueExpected = "a number and an ISO-4217 currency code, e.g. '125000 USD'"

    /// The parsed value, or nil with a problem saying why `text` is not one.
    private mutating func parsed<Value, Failure>(
        _ result: Result<Value, Failure>, _ explanation: (Failure) -> String, _ name: String, _ text: @autoclosure () -> String,
        _ column: Int?, expected: String
    ) -> Value? {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            problem(name, column, "\(name) '\(text())': \(explanation(error)); expected \(expected)")
            return nil
        }
    }

    /// A field read as text and kept as it is, trimmed: what `addPlain` reads.
    enum PlainText: Sendable {
        case id, supplier, customer, endUser, endUse, product

        /// Whether the field's values repeat from line to line in an order file (a supplier's
        /// name, an end use: W1 has 1,000 supplier spellings in a million lines, but a customer
        /// spelling seldom repeats).
        var repeats: Bool { self == .supplier || self == .endUse }

        /// The plain text field `target` names, if it names one.
        init?(_ target: Target) {
            guard case .known(let field) = target else { return nil }
            switch field {
            case .id: self = .id
            case .supplier: self = .supplier
            case .customer: self = .customer
            case .endUser: self = .endUser
            case .endUse: self = .endUse
            case .product: self = .product
            default: return nil
            }
        }
    }

    /// `add` of a plain text field that a CSV field holds as ASCII bytes without NUL: the same
    /// line, the text made once from the trimmed bytes (not whole and then trimmed, nor passed
    /// through the field value's enum: about 900 instructions a W1 line, callgrind).
    @inline(__always)
    mutating func addPlain(_ field: PlainText, ascii bytes: UnsafeBufferPointer<UInt8>) {
        fieldCount += 1
        let range = bytes.rangeTrimmingSpaces
        // As `add`: an empty field leaves the line without the value.
        guard !range.isEmpty else { return }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[range])
        // A long text that repeats is made once and kept (a string of its own for each line was an
        // allocation, a copy and a release: about 450 instructions, callgrind).
        if trimmed.count > SmallASCIIString.capacity, field.repeats, let texts {
            set(field, texts.pointee.value(for: trimmed) { Self.text(ascii: trimmed, small: false) })
            return
        }
        set(field, Self.text(ascii: trimmed, small: smallStrings))
    }

    /// The text of ASCII bytes; made from its bytes' words when it is small and `small`
    /// (`SmallASCIIString`).
    ///
    /// Called, not inlined: inlined into `addPlain` it made the decoder's body for a field too
    /// large to inline in turn (about 500 instructions a W1 line more, callgrind).
    @inline(never)
    private static func text(ascii bytes: UnsafeBufferPointer<UInt8>, small: Bool) -> String {
        if small, let text = SmallASCIIString.make(bytes) { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sets the plain text field `field` of the line.
    @inline(__always)
    private mutating func set(_ field: PlainText, _ text: String) {
        switch field {
        case .id: line.pointee.id = text
        case .supplier: line.pointee.supplier = text
        case .customer: line.pointee.customer = text
        case .endUser: line.pointee.endUser = text
        case .endUse: line.pointee.endUse = text
        case .product: line.pointee.product = text
        }
    }

    /// `add` of a destination that a CSV field holds as ASCII bytes without NUL, when it is empty or
    /// a country code: the same line, without making a string of the field first (about 250
    /// instructions a W1 line, callgrind); false, adding nothing, for any other text (which `add`
    /// then reports).
    mutating func addDestination(ascii bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = bytes.rangeTrimmingSpaces
        // As `add`: an empty field leaves the line without the value.
        guard !range.isEmpty else {
            fieldCount += 1
            return true
        }
        guard let country = ISOCodes.country(ascii: UnsafeBufferPointer(rebasing: bytes[range])) else { return false }
        fieldCount += 1
        line.pointee.destination = country
        return true
    }

    /// A field read as a date or an amount with its unit: what `addNumber` reads.
    enum NumberText: Sendable {
        case date, quantity, value

        /// The field's name, as its column is called.
        var name: String {
            switch self {
            case .date: "date"
            case .quantity: "quantity"
            case .value: "value"
            }
        }
    }

    /// How a CSV column's ASCII field (without NUL) is read from its bytes when nothing needs its
    /// text as written; `text` for the fields read as text (`add`).
    ///
    /// Worked out once per column, without a payload to count: reading the column's `Target`
    /// (whose cases hold texts) and name for each field was a retain and release of each (callgrind).
    enum ByteReading: Sendable {
        case plain(PlainText)
        case number(NumberText)
        case destination
        case text

        init(_ target: Target) {
            if let plain = PlainText(target) {
                self = .plain(plain)
                return
            }
            switch target {
            case .known(.date): self = .number(.date)
            case .known(.quantity): self = .number(.quantity)
            case .known(.value): self = .number(.value)
            case .known(.destination): self = .destination
            default: self = .text
            }
        }
    }

    /// `add` of a field that a CSV column holds as ASCII bytes without NUL, read from its bytes as
    /// `reading` (the column's) says; false, adding nothing, for a field to read as text instead
    /// (`text`, or a destination that is not a country code, which `add` then reports).
    ///
    /// The column is worked out only for a date or an amount, whose problems name it.
    @inline(__always)
    mutating func add(_ reading: ByteReading, ascii bytes: UnsafeBufferPointer<UInt8>, column: @autoclosure () -> Int?) -> Bool {
        switch reading {
        case .plain(let plain): addPlain(plain, ascii: bytes)
        case .number(let number): addNumber(number, ascii: bytes, column: column())
        case .destination: return addDestination(ascii: bytes)
        case .text: return false
        }
        return true
    }

    /// `add` of the date, quantity or value that a CSV field holds as ASCII bytes without NUL,
    /// parsed from the bytes: the same line and problems, without making a string of the field
    /// (three a line; a string was about 200 instructions, callgrind).
    mutating func addNumber(_ field: NumberText, ascii bytes: UnsafeBufferPointer<UInt8>, column: Int?) {
        fieldCount += 1
        let range = bytes.rangeTrimmingSpaces
        guard !range.isEmpty else { return }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[range])
        var text: String { String(decoding: trimmed, as: UTF8.self) }
        switch field {
        case .date:
            if let day = Day(utf8: trimmed) {
                line.pointee.date = day
            } else {
                problem(field.name, column, "date '\(text)' is not a calendar date 'YYYY-MM-DD'")
            }
        case .quantity:
            if let quantity = parsed(
                Quantity.parse(ascii: trimmed), \.explanation, field.name, text, column, expected: Self.quantityExpected)
            {
                line.pointee.quantity = quantity
            }
        case .value:
            if let money = parsed(Money.parse(ascii: trimmed), \.explanation, field.name, text, column, expected: Self.valueExpected) {
                line.pointee.value = money
            }
        }
    }

    /// Reads one field called `name`, whose meaning `target` is `target(of: name)`.
    @inline(__always)
    mutating func add(_ name: String, _ target: Target, _ value: RawValue, column: Int?) {
        fieldCount += 1
        switch target {
        case .known(.composition):
            switch value {
            case .mapping(let pairs):
                if composition == nil { composition = [:] }
                for (element, inner) in pairs {
                    switch inner {
                    case .number(let number): addElement(element, number, number: true, name, column)
                    case .text(let text), .trimmed(let text): addElement(element, text, number: false, name, column)
                    case .mapping, .invalid: problem(name, column, "composition \(element) must be a percentage")
                    }
                }
            default:
                guard let text = text(name, value, column) else { return }
                if composition == nil { composition = [:] }
                for part in text.split(separator: ";") {
                    let entry = String(part.trimmingSpaces)
                    if entry.isEmpty { continue }
                    let pieces = entry.split(separator: "=", maxSplits: 1).map { String($0.trimmingSpaces) }
                    guard pieces.count == 2 else {
                        problem(name, column, "composition entry '\(entry)' is not 'Element=percent%', e.g. 'Dy=2.5%'")
                        continue
                    }
                    addElement(pieces[0], pieces[1], number: false, name, column)
                }
            }
        case .known(.attributes):
            guard case .mapping(let pairs) = value else {
                if text(name, value, column) != nil { problem(name, column, "attributes must be an object of names to values") }
                return
            }
            for (key, inner) in pairs {
                if let text = text("attributes.\(key)", inner, column) { line.pointee.attributes[key] = text }
            }
        case .element(let element):
            switch value {
            case .number(let number): addElement(element, number, number: true, name, column)
            default:
                guard let text = text(name, value, column) else { return }
                addElement(element, text, number: false, name, column)
            }
        case .attribute(let attribute):
            if let text = text(name, value, column) { line.pointee.attributes[attribute] = text }
        case .other:
            break
        case .known(let field):
            guard let text = text(name, value, column) else { return }
            if let plain = PlainText(target) { return set(plain, text) }
            switch field {
            case .id, .supplier, .customer, .endUser, .endUse, .product: break
            case .destination:
                if ISOCodes.isCountry(text) {
                    line.pointee.destination = text
                } else {
                    let hint = ISOCodes.countries.contains(text.uppercased()) ? "; did you mean '\(text.uppercased())'?" : ""
                    problem(name, column, "destination '\(text)' is not an ISO-3166 alpha-2 country code\(hint)")
                }
            case .date:
                if let day = Day(parsing: text) {
                    line.pointee.date = day
                } else {
                    problem(name, column, "date '\(text)' is not a calendar date 'YYYY-MM-DD'")
                }
            case .quantity:
                if case .number = value {
                    problem(name, column, "quantity \(text) has no unit; expected a string such as \"500 kg\"")
                    return
                }
                if let quantity = parsed(Quantity.parse(text), \.explanation, name, text, column, expected: Self.quantityExpected) {
                    line.pointee.quantity = quantity
                }
            case .value:
                if let money = parsed(Money.parse(text), \.explanation, name, text, column, expected: Self.valueExpected) {
                    line.pointee.value = money
                }
            case .hsCode:
                if let code = HSCode.normalise(text) {
                    line.pointee.hsCode = code
                } else {
                    problem(name, column, "hs_code '\(text)' is not an HS code (digits only)")
                }
            case .composition, .attributes: break
            }
        }
    }
}
